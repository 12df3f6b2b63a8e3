/// String methods. Sizes and indices count Unicode scalars, as Ruby counts characters.
enum StringBuiltins {
    static func install(_ vm: VM) {
        let string = vm.stringClass!
        func str(_ v: Value) -> RString { v.object(as: RString.self)! }
        vm.builtinMethod(string, "initialize", -1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            try vm.expectArgs(args, 0...1, ec: ec)
            if args.count == 1 { this.object(as: RString.self)!.value = try vm.expectString(args[0], ec: ec) }
            return .nil
        } }
        vm.builtinMethod(string, "+", 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            vm.newString(vm.stringValue(this)! + (try vm.expectString(args[0], ec: ec)))
        } }
        vm.builtinMethod(string, "*", 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            let n = try vm.expectInteger(args[0], ec: ec)
            if n < 0 { throw vm.error(vm.argumentErrorClass, "negative argument", ec: ec) }
            let s = vm.stringValue(this)!
            if Int64(s.utf8.count) * n > 1 << 30 { throw vm.error(vm.argumentErrorClass, "argument too big", ec: ec) }
            return vm.newString(String(repeating: s, count: Int(n)))
        } }
        for name in ["<<", "concat"] {
            vm.builtinMethod(string, name, 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
                let add: String
                if let n = vm.intValue(args[0]), let u = Unicode.Scalar(UInt32(truncatingIfNeeded: n)) {
                    add = String(Character(u))
                } else {
                    add = try vm.expectString(args[0], ec: ec)
                }
                this.object(as: RString.self)!.value += add
                return this
            } }
        }
        vm.builtinMethod(string, "==", 1) { builtin($1, $2, $3, $4) { _, vm, this, args in
            .bool(vm.stringValue(args[0]) == vm.stringValue(this))
        } }
        vm.builtinMethod(string, "!=", 1) { builtin($1, $2, $3, $4) { _, vm, this, args in
            .bool(vm.stringValue(args[0]) != vm.stringValue(this))
        } }
        vm.builtinMethod(string, "eql?", 1) { builtin($1, $2, $3, $4) { _, vm, this, args in
            .bool(vm.stringValue(args[0]) == vm.stringValue(this))
        } }
        let comparisons: [(String, CFunction)] = [
            ("<", { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in .bool(try vm.stringCompare(this, args[0], ec: ec) < 0) } }),
            ("<=", { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in .bool(try vm.stringCompare(this, args[0], ec: ec) <= 0) } }),
            (">", { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in .bool(try vm.stringCompare(this, args[0], ec: ec) > 0) } }),
            (">=", { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in .bool(try vm.stringCompare(this, args[0], ec: ec) >= 0) } }),
            ("<=>", { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
                vm.stringValue(args[0]) == nil ? .nil : .fixnum(Int64(try vm.stringCompare(this, args[0], ec: ec))) } }),
        ]
        for (name, fn) in comparisons { vm.builtinMethod(string, name, 1, fn) }
        for name in ["size", "length"] {
            vm.builtinMethod(string, name, 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in
                .fixnum(Int64(vm.stringValue(this)!.unicodeScalars.count))
            } }
        }
        vm.builtinMethod(string, "bytesize", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in
            .fixnum(Int64(vm.stringValue(this)!.utf8.count))
        } }
        for name in ["to_s", "to_str"] {
            vm.builtinMethod(string, name, 0) { builtin($1, $2, $3, $4) { _, _, this, _ in this } }
        }
        vm.builtinMethod(string, "inspect", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in
            vm.newString(VM.inspectString(vm.stringValue(this)!))
        } }
        vm.builtinMethod(string, "hash", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in
            vm.integer(Int64(truncatingIfNeeded: vm.stringValue(this)!.hashValue))
        } }
        vm.builtinMethod(string, "to_sym", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in vm.symbol(vm.stringValue(this)!) } }
        vm.builtinMethod(string, "to_i", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in
            vm.integer(VM.leadingInteger(vm.stringValue(this)!))
        } }
        vm.builtinMethod(string, "upcase", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in vm.newString(vm.stringValue(this)!.uppercased()) } }
        vm.builtinMethod(string, "downcase", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in vm.newString(vm.stringValue(this)!.lowercased()) } }
        vm.builtinMethod(string, "capitalize", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in
            let s = vm.stringValue(this)!
            return vm.newString(s.prefix(1).uppercased() + s.dropFirst().lowercased())
        } }
        vm.builtinMethod(string, "reverse", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in
            var u = String.UnicodeScalarView()
            u.append(contentsOf: vm.stringValue(this)!.unicodeScalars.reversed())
            return vm.newString(String(u))
        } }
        vm.builtinMethod(string, "strip", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in
            vm.newString(String(vm.stringValue(this)!.trimmingWhitespace()))
        } }
        vm.builtinMethod(string, "empty?", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in .bool(vm.stringValue(this)!.isEmpty) } }
        vm.builtinMethod(string, "include?", 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            let needle = try vm.expectString(args[0], ec: ec)
            return .bool(needle.isEmpty || vm.stringValue(this)!.contains(needle))
        } }
        vm.builtinMethod(string, "start_with?", 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            .bool(vm.stringValue(this)!.hasPrefix(try vm.expectString(args[0], ec: ec)))
        } }
        vm.builtinMethod(string, "end_with?", 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            .bool(vm.stringValue(this)!.hasSuffix(try vm.expectString(args[0], ec: ec)))
        } }
        vm.builtinMethod(string, "chars", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in
            vm.newArray(vm.stringValue(this)!.unicodeScalars.map { vm.newString(String(Character($0))) })
        } }
        vm.builtinMethod(string, "split", -1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            try vm.expectArgs(args, 0...1, ec: ec)
            let s = vm.stringValue(this)!
            let sep = args.count == 1 ? try vm.expectString(args[0], ec: ec) : " "
            var parts: [String]
            if sep == " " {
                parts = s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)
            } else if sep.isEmpty {
                parts = s.unicodeScalars.map { String(Character($0)) }
            } else {
                parts = s.components(separatedByString: sep)
                while parts.last == "" { parts.removeLast() }
            }
            return vm.newArray(parts.map { vm.newString($0) })
        } }
        vm.builtinMethod(string, "[]", -1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            try vm.expectArgs(args, 1...2, ec: ec)
            let scalars = Array(vm.stringValue(this)!.unicodeScalars)
            var start = Int(try vm.expectInteger(args[0], ec: ec))
            if start < 0 { start += scalars.count }
            let length = args.count == 2 ? Int(try vm.expectInteger(args[1], ec: ec)) : 1
            if start < 0 || start > scalars.count || length < 0 || (args.count == 1 && start == scalars.count) { return .nil }
            let end = min(scalars.count, start + length)
            var u = String.UnicodeScalarView()
            u.append(contentsOf: scalars[start..<end])
            return vm.newString(String(u))
        } }
        for (name, left) in [("ljust", true), ("rjust", false)] {
            let fn: CFunction = left
                ? { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in try vm.justify(this, args, left: true, ec: ec) } }
                : { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in try vm.justify(this, args, left: false, ec: ec) } }
            vm.builtinMethod(string, name, -1, fn)
        }
    }
}

extension VM {
    func stringCompare(_ a: Value, _ b: Value, ec: ExecutionContext) throws(GuestError) -> Int {
        guard let y = stringValue(b) else {
            throw error(argumentErrorClass, "comparison of String with \(inspectOrClass(b)) failed", ec: ec)
        }
        let x = stringValue(a)!
        return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : (x == y ? 0 : 1)
    }

    func justify(_ this: Value, _ args: Args, left: Bool, ec: ExecutionContext) throws(GuestError) -> Value {
        try expectArgs(args, 1...2, ec: ec)
        let s = stringValue(this)!
        let width = Int(try expectInteger(args[0], ec: ec))
        let pad = args.count == 2 ? try expectString(args[1], ec: ec) : " "
        if pad.isEmpty { throw error(argumentErrorClass, "zero width padding", ec: ec) }
        let count = s.unicodeScalars.count
        guard width > count else { return newString(s) }
        var padding = ""
        let padScalars = Array(pad.unicodeScalars)
        for i in 0..<(width - count) { padding.unicodeScalars.append(padScalars[i % padScalars.count]) }
        return newString(left ? s + padding : padding + s)
    }

    /// `"12abc".to_i` == 12, as Ruby parses a leading integer.
    static func leadingInteger(_ s: String) -> Int64 {
        var chars = Substring(s).drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" })
        var negative = false
        if let f = chars.first, f == "-" || f == "+" {
            negative = f == "-"
            chars = chars.dropFirst()
        }
        var n: Int64 = 0
        for c in chars {
            if c == "_" { continue }
            guard let d = c.wholeNumberValue, c.isASCII else { break }
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(d))
            if o1 || o2 { return negative ? Int64.min : Int64.max }
            n = a
        }
        return negative ? -n : n
    }
}

extension String {
    func trimmingWhitespace() -> Substring {
        let ws: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "\0" }
        return self.drop(while: ws).reversed().drop(while: ws).reversed().reduce(into: Substring()) { $0.append($1) }
    }

    func components(separatedByString sep: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var rest = Substring(self)
        while !rest.isEmpty {
            if rest.hasPrefix(sep) {
                parts.append(current)
                current = ""
                rest = rest.dropFirst(sep.count)
            } else {
                current.append(rest.removeFirst())
            }
        }
        parts.append(current)
        return parts
    }
}
