/// Exception: new(message), message, to_s, inspect, backtrace, full_message.
enum ExceptionBuiltins {
    static func install(_ vm: VM) {
        let exception = vm.exceptionClass!
        vm.builtinMethod(exception, "initialize", -1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            try vm.expectArgs(args, 0...1, ec: ec)
            if args.count == 1 { this.object(as: RException.self)!.message = args[0] }
            return .nil
        } }
        vm.builtinMethod(exception, "exception", -1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            try vm.expectArgs(args, 0...1, ec: ec)
            guard args.count == 1, let old = this.object(as: RException.self) else { return this }
            let e = RException(klass: old.klass)
            e.message = args[0]
            return vm.heap.track(e)
        } }
        for name in ["message", "to_s"] {
            vm.builtinMethod(exception, name, 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
                vm.newString(try vm.exceptionMessage(this.object(as: RException.self)!, ec: ec))
            } }
        }
        vm.builtinMethod(exception, "inspect", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            vm.newString(try vm.inspect(this, ec: ec))
        } }
        vm.builtinMethod(exception, "backtrace", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in
            guard let bt = this.object(as: RException.self)!.backtrace else { return .nil }
            return vm.newArray(bt.map { vm.newString($0) })
        } }
        vm.builtinMethod(exception, "full_message", -1) { builtin($1, $2, $3, $4) { _, vm, this, _ in
            vm.newString(vm.uncaughtReport(this))
        } }
    }
}
