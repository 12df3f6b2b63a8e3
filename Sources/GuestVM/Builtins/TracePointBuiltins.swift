/// TracePoint.new(*events) { |tp| }, #enable, #disable (both with an optional block), #enabled?, and
/// inside a hook #event, #method_id, #callee_id, #defined_class, #return_value, #self; #inspect. Only the events
/// `:call`, `:return`, `:c_call`, `:c_return` exist (see `VM+TraceHooks.swift` for when they fire).
/// In Ruby 3.1 these methods are Ruby code, so they are traced as `call`/`return`, not `c_call`.
enum TracePointBuiltins {
    static func install(_ vm: VM) {
        let cls = vm.defineClass("TracePoint", superclass: vm.objectClass, kind: RClass.InstanceKind.none)
        let meta = cls.metaclass!
        define(vm, meta, "new", -1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            guard let bf = vm.blockOfCurrentFrame(ec) else {
                throw vm.error(vm.argumentErrorClass, "must be called with a block", ec: ec)
            }
            let events = try vm.traceEvents(from: args, ec: ec)
            let tp = RTracePoint(klass: this.object(as: RClass.self)!, events: events,
                                 hook: TraceHookBlock(blockFrame: bf, ec: ec))
            return vm.heap.track(tp)
        } }
        define(vm, cls, "enable", -1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            let tp = try vm.tracePoint(this, ec: ec)
            if args.count > 0 {
                throw vm.error(vm.argumentErrorClass, "TracePoint#enable: target:, target_line: and target_thread: are not supported", ec: ec)
            }
            if vm.blockOfCurrentFrame(ec) != nil { return try vm.yieldWithTracePoint(tp, enabled: true, ec: ec) }
            let (was, first) = vm.enableTracePoint(tp, ec: ec)
            // Ruby 3.1's own `enable` misses its return event when it instruments ISEQs the first time.
            if first { ec.trace.skipNextEnableReturn = true }
            return .bool(was)
        } }
        define(vm, cls, "disable", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            let tp = try vm.tracePoint(this, ec: ec)
            if vm.blockOfCurrentFrame(ec) != nil { return try vm.yieldWithTracePoint(tp, enabled: false, ec: ec) }
            return .bool(vm.disableTracePoint(tp, ec: ec))
        } }
        define(vm, cls, "enabled?", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            .bool(try vm.tracePoint(this, ec: ec).isEnabled)
        } }
        define(vm, cls, "event", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            vm.symbol(try vm.traceDelivery(this, ec: ec).event.name)
        } }
        for name in ["method_id", "callee_id"] {
            define(vm, cls, name, 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
                .symbol(try vm.traceDelivery(this, ec: ec).methodID)
            } }
        }
        define(vm, cls, "self", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            try vm.traceDelivery(this, ec: ec).selfValue
        } }
        // The class holding the method (Kernel's methods are Object's in the subset).
        define(vm, cls, "defined_class", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            let delivery = try vm.traceDelivery(this, ec: ec)
            return vm.findMethod(vm.classOf(delivery.selfValue), delivery.methodID).map { .object($0.owner) } ?? .nil
        } }
        define(vm, cls, "return_value", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            let delivery = try vm.traceDelivery(this, ec: ec)
            guard delivery.event == .return || delivery.event == .cReturn else {
                throw vm.error(vm.runtimeErrorClass, "not supported by this event", ec: ec)
            }
            return delivery.returnValue
        } }
        for name in ["inspect", "to_s"] {
            define(vm, cls, name, 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
                vm.newString(vm.inspectTracePoint(try vm.tracePoint(this, ec: ec), ec: ec))
            } }
        }
        // Other builtins Ruby 3.1 writes in Ruby (`<internal:numeric>`, `<internal:kernel>`, ...;
        // `Method#source_location` is non-nil for them).
        let rubyWritten: [(RClass, [String])] = [
            (vm.integerClass, ["-@", "abs", "to_i", "zero?", "even?", "odd?"]),
            (vm.objectClass, ["warn", "class", "frozen?"]),
            (vm.nilClass, ["to_i"]),
        ]
        for (owner, names) in rubyWritten {
            for name in names {
                if let entry = owner.methods[vm.symbols.id(name)] { vm.traceState.rubyDefinedEntries.insert(Int(bitPattern: entry.opaque)) }
            }
        }
    }

    /// A builtin traced as a Ruby method (`call`/`return`), as the TracePoint API is in Ruby 3.1.
    private static func define(_ vm: VM, _ cls: RClass, _ name: String, _ arity: Int, _ fn: CFunction) {
        vm.builtinMethod(cls, name, arity, fn)
        if let entry = cls.methods[vm.symbols.id(name)] {
            vm.traceState.rubyDefinedEntries.insert(Int(bitPattern: entry.opaque))
        }
    }
}

extension VM {
    /// The events `TracePoint.new` was asked for (Symbols or Strings).
    func traceEvents(from args: Args, ec: ExecutionContext) throws(GuestError) -> TraceEvent {
        if args.count == 0 {
            // Ruby traces every event then, most of which the subset does not have.
            throw error(argumentErrorClass, "TracePoint.new without events is not supported: name them (:call, :return, :c_call, :c_return)", ec: ec)
        }
        var events = TraceEvent()
        for i in 0..<args.count {
            let name = symbols.name(try symbolOrString(args[i], ec: ec))
            if let event = TraceEvent(name: name) {
                events.insert(event)
            } else if TraceEvent.rubyOnlyNames.contains(name) {
                throw error(argumentErrorClass, "event not supported by the subset: \(name) (it traces :call, :return, :c_call, :c_return)", ec: ec)
            } else {
                throw error(argumentErrorClass, "unknown event: \(name)", ec: ec)
            }
        }
        return events
    }

    /// `enable { }` / `disable { }`: yields with `tp` enabled (disabled), then disables (enables) it,
    /// also when the block raises or breaks (as Ruby 3.1 does, whatever the state before).
    func yieldWithTracePoint(_ tp: RTracePoint, enabled: Bool, ec: ExecutionContext) throws(GuestError) -> Value {
        if enabled { enableTracePoint(tp, ec: ec) } else { disableTracePoint(tp, ec: ec) }
        defer { if enabled { disableTracePoint(tp, ec: ec) } else { enableTracePoint(tp, ec: ec) } }
        return try yieldBlock([], ec: ec)
    }

    func tracePoint(_ v: Value, ec: ExecutionContext) throws(GuestError) -> RTracePoint {
        guard let tp = v.object(as: RTracePoint.self) else { throw error(typeErrorClass, "not a TracePoint", ec: ec) }
        return tp
    }

    /// The event a hook handles on `ec`; outside hooks, Ruby's "access from outside" (as in Ruby, any
    /// TracePoint answers for the event being handled).
    func traceDelivery(_ v: Value, ec: ExecutionContext) throws(GuestError) -> TraceDelivery {
        _ = try tracePoint(v, ec: ec)
        guard ec.trace.isInHook else { throw error(runtimeErrorClass, "access from outside", ec: ec) }
        return ec.trace
    }

    /// `#<TracePoint:enabled>`, `#<TracePoint:disabled>`, inside a hook `#<TracePoint:call `foo'>` (Ruby
    /// adds the path and line, which the subset does not track for events).
    func inspectTracePoint(_ tp: RTracePoint, ec: ExecutionContext?) -> String {
        if let ec, ec.trace.tracePoint === tp {
            return "#<TracePoint:\(ec.trace.event.name) `\(symbols.name(ec.trace.methodID))'>"
        }
        return tp.isEnabled ? "#<TracePoint:enabled>" : "#<TracePoint:disabled>"
    }
}
