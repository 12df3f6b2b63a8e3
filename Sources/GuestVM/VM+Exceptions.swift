/// Creating exceptions, their backtraces, and the uncaught-exception report.
extension VM {
    /// A new exception of `klass` with `message`, its backtrace taken from `ec`'s frames.
    public func makeException(_ klass: RClass, _ message: String, ec: ExecutionContext?) -> Value {
        let e = RException(klass: klass)
        e.message = newString(message)
        if let ec { e.backtrace = backtrace(of: ec) }
        return heap.track(e)
    }

    /// A `GuestError` carrying a new exception (for `throw`).
    public func error(_ klass: RClass, _ message: String, ec: ExecutionContext?) -> GuestError {
        GuestError(makeException(klass, message, ec: ec))
    }

    func overflowError(_ ec: ExecutionContext) -> GuestError { error(rangeErrorClass, "integer overflow", ec: ec) }
    @inline(never)
    func stackError(_ ec: ExecutionContext) -> GuestError { error(systemStackErrorClass, "stack level too deep", ec: ec) }

    func argumentCountError(given: Int, expected: Int, ec: ExecutionContext) -> GuestError {
        error(argumentErrorClass, "wrong number of arguments (given \(given), expected \(expected))", ec: ec)
    }

    /// NoMethodError / NameError as Ruby 3.1 words them.
    func noMethodError(_ id: Int, receiver: Value, variableLike: Bool, ec: ExecutionContext) -> GuestError {
        let name = symbols.name(id)
        let desc = describeForError(receiver)
        if variableLike {
            return error(nameErrorClass, "undefined local variable or method `\(name)' for \(desc)", ec: ec)
        }
        return error(noMethodErrorClass, "undefined method `\(name)' for \(desc)", ec: ec)
    }

    /// `nil:NilClass`, `1:Integer`, `main:Object`, `Foo:Class`, `#<Foo>`.
    func describeForError(_ v: Value) -> String {
        if v == mainObject { return "main:Object" }
        let cls = realClassOf(v)
        switch v {
        case .nil: return "nil:NilClass"
        case .true: return "true:TrueClass"
        case .false: return "false:FalseClass"
        default: break
        }
        if let c = v.object(as: RClass.self) { return "\(c.name):\(c.isModule ? "Module" : "Class")" }
        if intValue(v) != nil || v.isSymbol || v.object(as: RString.self) != nil || v.object(as: RArray.self) != nil {
            let s = (try? inspectBuiltin(v)) ?? "?"
            if s.count <= 65 { return "\(s):\(cls.name)" }
            return "an instance of \(cls.name)"
        }
        return "#<\(cls.name)>"
    }

    /// Guest backtrace lines (`file:line:in `label'`), innermost first. Very deep stacks keep the
    /// innermost and outermost frames and say how many were left out.
    public func backtrace(of ec: ExecutionContext) -> [String] {
        var lines: [String] = []
        let total = ec.frameCount
        let keepInner = 1000, keepOuter = 100
        var index = 0
        var f = ec.cfp
        var pendingNative: [String] = []   // cfunc/internal labels waiting for the caller's location
        while f >= ec.frameBase {
            defer { f -= 1; index += 1 }
            if total > keepInner + keepOuter && index == keepInner {
                pendingNative.removeAll()
                lines.append(" ... \(total - keepInner - keepOuter) levels...")
            }
            if total > keepInner + keepOuter && index >= keepInner && index < total - keepOuter { continue }
            let frame = f.pointee
            if frame.type == .cfunc {
                if let m = frame.methodEntry {
                    let me = Unmanaged<MethodEntry>.fromOpaque(m).takeUnretainedValue()
                    if !me.hiddenFromBacktrace { pendingNative.append(me.name) }
                }
                continue
            }
            guard let ip = frame.iseq else { continue }
            let iseq = Unmanaged<ISeq>.fromOpaque(ip).takeUnretainedValue()
            if iseq.root.isInternal {
                pendingNative.append(label(of: iseq, frame: frame))
                continue
            }
            let pcIndex = frame.pc.map { $0 - iseq.code - 1 } ?? 0
            let location = "\(iseq.fileName):\(iseq.line(at: pcIndex))"
            for name in pendingNative { lines.append("\(location):in `\(name)'") }
            pendingNative.removeAll()
            lines.append("\(location):in `\(label(of: iseq, frame: frame))'")
        }
        return lines
    }

    private func label(of iseq: ISeq, frame: ControlFrame) -> String {
        if iseq.kind != .block { return iseq.name }
        var depth = 0
        var i: ISeq? = iseq
        while let b = i, b.kind == .block { depth += 1; i = b.parentISeq }
        let home = i?.name ?? iseq.root.name
        return depth == 1 ? "block in \(home)" : "block (\(depth) levels) in \(home)"
    }

    /// The text Ruby prints for an uncaught exception: "file:line:in `x': message (Class)" plus
    /// "\tfrom ..." lines.
    public func uncaughtReport(_ exception: Value) -> String {
        let cls = realClassOf(exception)
        var message = cls.name
        var backtrace: [String] = []
        if let e = exception.object(as: RException.self) {
            if let m = stringValue(e.message) { message = m }
            backtrace = e.backtrace ?? []
        }
        var head: String
        if message.isEmpty {
            head = "unhandled exception"
        } else {
            var lines = message.split(separator: "\n", omittingEmptySubsequences: false)
            lines[0] += " (\(cls.name))"
            head = lines.joined(separator: "\n")
        }
        var out = ""
        if let first = backtrace.first {
            out = "\(first): \(head)\n"
        } else {
            out = "\(head)\n"
        }
        for line in backtrace.dropFirst() { out += "\tfrom \(line)\n" }
        return out
    }
}

extension VM {
    /// The status of a `SystemExit` raised by `exit`, nil for other exceptions.
    public func exitStatus(of exception: Value) -> Int32? {
        guard let e = exception.object(as: RException.self), e.klass.name == "SystemExit" else { return nil }
        return Int32(truncatingIfNeeded: intValue(e.ivar(symbols.id("status"))) ?? 0)
    }
}
