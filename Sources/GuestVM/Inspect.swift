/// `inspect` and `to_s` as Ruby formats them. Builtin types are formatted directly; user classes that
/// define their own `inspect`/`to_s` are called.
extension VM {
    /// Formats builtin values without calling guest code (arrays of user objects fall back to `#<Foo>`).
    func inspectBuiltin(_ v: Value) throws(GuestError) -> String {
        try inspect(v, ec: nil)
    }

    /// Short description for error messages.
    func inspectForMessage(_ v: Value) -> String { (try? inspect(v, ec: nil)) ?? "?" }

    public func inspect(_ v: Value, ec: ExecutionContext?) throws(GuestError) -> String {
        if let n = intValue(v) { return String(n) }
        switch v {
        case .nil: return "nil"
        case .true: return "true"
        case .false: return "false"
        default: break
        }
        if v.isSymbol { return VM.inspectSymbol(symbols.name(v.symbolID)) }
        guard v.isHeapObject else { return "?" }
        let o = v.object
        if let ec, let m = findMethod(o.klass, ids.inspect), m.kind != .cfunc {
            return try stringResult(callMethod(v, ids.inspect, [], ec: ec), ec: ec)
        }
        switch o {
        case let s as RString: return VM.inspectString(s.value)
        case let a as RArray:
            // A recursive array prints its inner occurrence as [...], as Ruby does.
            // Without a context (error messages) deep nesting is cut short instead of checked.
            guard inspecting.insert(v.raw).inserted, ec != nil || inspecting.count < 256 else { return "[...]" }
            defer { inspecting.remove(v.raw) }
            if let ec { try checkNativeStack(ec) }
            var parts: [String] = []
            parts.reserveCapacity(a.elements.count)
            for e in a.elements { parts.append(try inspect(e, ec: ec)) }
            return "[" + parts.joined(separator: ", ") + "]"
        case let c as RClass: return c.name
        case let t as RTracePoint: return inspectTracePoint(t, ec: ec)
        case let e as RException:
            let cls = o.klass.nonMetaclass.name
            let msg = try exceptionMessage(e, ec: ec)
            return msg.isEmpty ? cls : "#<\(cls): \(msg)>"
        default:
            let cls = o.klass.nonMetaclass.name
            if v == mainObject { return "main" }
            if o.ivars.isEmpty { return "#<\(cls)>" }
            var parts: [String] = []
            for (id, value) in o.ivars { parts.append("@\(symbols.name(id))=\(try inspect(value, ec: ec))") }
            return "#<\(cls) " + parts.joined(separator: ", ") + ">"
        }
    }

    func exceptionMessage(_ e: RException, ec: ExecutionContext?) throws(GuestError) -> String {
        if let s = stringValue(e.message) { return s }
        if e.message.isNil { return e.klass.nonMetaclass.name }
        return try toSString(e.message, ec: ec)
    }

    /// `to_s` as a Swift String.
    public func toSString(_ v: Value, ec: ExecutionContext?) throws(GuestError) -> String {
        if let n = intValue(v) { return String(n) }
        switch v {
        case .nil: return ""
        case .true: return "true"
        case .false: return "false"
        default: break
        }
        if v.isSymbol { return symbols.name(v.symbolID) }
        guard v.isHeapObject else { return "" }
        let o = v.object
        if let s = o as? RString { return s.value }
        if let ec, let m = findMethod(o.klass, ids.toS), m.kind != .cfunc {
            return try stringResult(callMethod(v, ids.toS, [], ec: ec), ec: ec)
        }
        switch o {
        case let c as RClass: return c.name
        case let e as RException: return try exceptionMessage(e, ec: ec)
        case is RArray: return try inspect(v, ec: ec)
        default:
            if v == mainObject { return "main" }
            return "#<\(o.klass.nonMetaclass.name)>"
        }
    }

    /// `to_s` as a guest String value (the `#{}` conversion).
    func toS(_ v: Value, ec: ExecutionContext) throws(GuestError) -> Value {
        if v.isHeapObject, v.object is RString { return v }
        return newString(try toSString(v, ec: ec))
    }

    private func stringResult(_ v: Value, ec: ExecutionContext) throws(GuestError) -> String {
        if let s = stringValue(v) { return s }
        return try toSString(v, ec: nil)
    }

    static func inspectString(_ s: String) -> String {
        var out = "\""
        var previousHash = false
        for u in s.unicodeScalars {
            defer { previousHash = u == "#" }
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{1b}": out += "\\e"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0b}": out += "\\v"
            case "\u{0c}": out += "\\f"
            case "{", "$", "@":
                if previousHash { out.removeLast(); out += "\\#" }
                out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || u.value == 0x7f {
                    out += "\\u" + hex4(u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    static func inspectSymbol(_ name: String) -> String {
        if isPlainSymbol(name) { return ":" + name }
        return ":" + inspectString(name)
    }

    private static func isPlainSymbol(_ name: String) -> Bool {
        let operators: Set<String> = ["+", "-", "*", "/", "%", "**", "==", "!=", "<", "<=", ">", ">=", "<=>", "===",
                                      "[]", "[]=", "<<", ">>", "!", "=~", "&", "|", "^", "~", "+@", "-@"]
        if operators.contains(name) { return true }
        var s = Substring(name)
        if s.hasPrefix("@@") { s = s.dropFirst(2) } else if s.hasPrefix("@") || s.hasPrefix("$") { s = s.dropFirst() }
        guard let first = s.first, first == "_" || first.isLetter else { return false }
        var body = s
        if let last = body.last, last == "?" || last == "!" || last == "=" { body = body.dropLast() }
        return body.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber }
    }
}

/// Four uppercase hex digits (`\u0001`, `\u007F` as Ruby writes them).
func hex4(_ value: UInt32) -> String {
    let hex = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - hex.count)) + hex
}
