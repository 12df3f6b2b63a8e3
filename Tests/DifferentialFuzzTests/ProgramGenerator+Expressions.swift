/// Integer and string expressions. Every binary expression is parenthesized, so precedence never decides
/// what a program means, and bounds are tracked so no value comes near Int64 overflow.
extension ProgramGenerator {
    /// An integer expression whose value may be stored (reduced modulo `IntegerBounds.modulus` if needed).
    mutating func storable(_ scope: Scope) -> String {
        reduced(intExpr(scope, depth: 0))
    }

    func reduced(_ e: Expr) -> String {
        e.bound > IntegerBounds.reduceAbove ? "(\(e.text) % \(IntegerBounds.modulus))" : e.text
    }

    mutating func literal() -> Expr {
        let value = rng.chance(15) ? -rng.int(in: 1...50) : rng.int(in: 0...1000)
        return Expr(text: value < 0 ? "(\(value))" : "\(value)", bound: abs(value))
    }

    mutating func intExpr(_ scope: Scope, depth: Int) -> Expr {
        for _ in 0..<8 {
            if let e = tryIntExpr(scope, depth: depth) { return e }
        }
        return literal()
    }

    private mutating func tryIntExpr(_ scope: Scope, depth: Int) -> Expr? {
        let stored = IntegerBounds.stored
        switch rng.below(depth >= 3 ? 4 : 16) {
        case 0: return literal()
        case 1, 2:
            guard !scope.ints.isEmpty else { return nil }
            return Expr(text: rng.pick(scope.ints), bound: stored)
        case 3:
            guard scope.selfClass != nil else { return nil }
            return Expr(text: rng.chance(50) ? "@x" : "@y", bound: stored)
        case 4, 5, 6:
            return binary(scope, depth: depth)
        case 7:
            let c = condition(scope, depth: depth + 1)
            let a = intExpr(scope, depth: depth + 1), b = intExpr(scope, depth: depth + 1)
            return Expr(text: "(\(c) ? \(a.text) : \(b.text))", bound: max(a.bound, b.bound))
        case 8, 9:
            return plainCall(scope, depth: depth)
        case 10:
            guard let s = rng.choose(scope.strings) else { return nil }
            return Expr(text: "\(s).size", bound: stored)
        case 11:
            guard let a = rng.choose(scope.arrays) else { return nil }
            switch rng.below(4) {
            case 0: return Expr(text: "\(a).size", bound: stored)
            case 1: return Expr(text: "\(a).first", bound: stored)
            case 2: return Expr(text: "\(a).last", bound: stored)
            default:
                let i = intExpr(scope, depth: depth + 1)
                return Expr(text: "\(a)[\(i.text) % \(a).size]", bound: stored)
            }
        case 12:
            return objectCall(scope, depth: depth)
        case 13:
            guard scope.canYield else { return nil }
            return Expr(text: "yield(\(reduced(intExpr(scope, depth: depth + 1))))", bound: stored)
        case 14:
            return yieldingCall(scope, depth: depth)
        default:
            return selfCall(scope, depth: depth)
        }
    }

    private mutating func binary(_ scope: Scope, depth: Int) -> Expr? {
        let a = intExpr(scope, depth: depth + 1)
        switch rng.below(6) {
        case 0, 1:
            let b = intExpr(scope, depth: depth + 1)
            return Expr(text: "(\(a.text) + \(b.text))", bound: a.bound + b.bound)
        case 2:
            let b = intExpr(scope, depth: depth + 1)
            return Expr(text: "(\(a.text) - \(b.text))", bound: a.bound + b.bound)
        case 3:
            let b = intExpr(scope, depth: depth + 1)
            let (product, overflow) = max(a.bound, 1).multipliedReportingOverflow(by: max(b.bound, 1))
            guard !overflow, product <= IntegerBounds.expression else { return nil }
            return Expr(text: "(\(a.text) * \(b.text))", bound: product)
        case 4:
            // Division by a non-zero literal (possibly negative: Ruby floors).
            let d = rng.chance(20) ? -rng.int(in: 1...9) : rng.int(in: 1...97)
            return Expr(text: "(\(a.text) / \(d < 0 ? "(\(d))" : "\(d)"))", bound: a.bound)
        default:
            let d = rng.chance(20) ? -rng.int(in: 1...9) : rng.int(in: 1...97)
            return Expr(text: "(\(a.text) % \(d < 0 ? "(\(d))" : "\(d)"))", bound: abs(d))
        }
    }

    mutating func condition(_ scope: Scope, depth: Int) -> String {
        let a = intExpr(scope, depth: depth + 1), b = intExpr(scope, depth: depth + 1)
        let op = rng.pick(["<", "<=", ">", ">=", "==", "!="])
        let base = "\(a.text) \(op) \(b.text)"
        switch rng.below(8) {
        case 0: return "!(\(base))"
        case 1: return "(\(base)) && \(rng.pick(["true", "(\(a.text) != 7)"]))"
        case 2: return "(\(base)) || \(a.text).odd?"
        case 3: return "\(a.text).even?"
        default: return base
        }
    }

    private mutating func plainCall(_ scope: Scope, depth: Int) -> Expr? {
        let candidates = methods.prefix(scope.methodLimit).filter {
            $0.kind == .plain && !$0.volatile && $0.cost <= scope.allowance
        }
        guard let m = rng.choose(candidates), depth < 3 else { return nil }
        return Expr(text: callText(m.name, arity: m.arity, scope, depth: depth), bound: IntegerBounds.stored)
    }

    mutating func callText(_ name: String, arity: Int, _ scope: Scope, depth: Int) -> String {
        let args = (0..<arity).map { _ in reduced(intExpr(scope, depth: depth + 1)) }
        if args.isEmpty { return rng.chance(50) ? name : "\(name)()" }
        return "\(name)(\(args.joined(separator: ", ")))"
    }

    private mutating func yieldingCall(_ scope: Scope, depth: Int) -> Expr? {
        let candidates = methods.prefix(scope.methodLimit).filter {
            $0.kind == .yielding && !$0.volatile && $0.cost <= scope.allowance
        }
        guard let m = rng.choose(candidates), depth < 2 else { return nil }
        let v = freshName("v")
        var inner = scope
        inner.ints.append(v)
        inner.allowance = scope.allowance / 8
        inner.depth = scope.depth + 1
        let arg = reduced(intExpr(scope, depth: depth + 1))
        var body = ""
        if rng.chance(30) {
            body += "next \(reduced(intExpr(inner, depth: 2))) if \(condition(inner, depth: 2)); "
        }
        body += reduced(intExpr(inner, depth: 1))
        return Expr(text: "\(m.name)(\(arg)) { |\(v)| \(body) }", bound: IntegerBounds.stored)
    }

    private mutating func objectCall(_ scope: Scope, depth: Int) -> Expr? {
        guard let object = rng.choose(scope.objects), depth < 3 else { return nil }
        if rng.chance(25) {
            return Expr(text: "\(object.name).\(rng.chance(50) ? "x" : "y")", bound: IntegerBounds.stored)
        }
        let callable = methodsVisible(in: object.cls).filter { classMethods[$0].cost <= scope.allowance }
        guard let index = rng.choose(callable) else { return nil }
        let arg = reduced(intExpr(scope, depth: depth + 1))
        return Expr(text: "\(object.name).\(classMethods[index].name)(\(arg))", bound: IntegerBounds.stored)
    }

    private mutating func selfCall(_ scope: Scope, depth: Int) -> Expr? {
        guard let cls = scope.selfClass, depth < 3 else { return nil }
        let callable = methodsVisible(in: cls).filter {
            $0 < scope.classMethodLimit && classMethods[$0].cost <= scope.allowance
        }
        guard let index = rng.choose(callable) else {
            return Expr(text: rng.chance(50) ? "x" : "self.y", bound: IntegerBounds.stored)
        }
        let arg = reduced(intExpr(scope, depth: depth + 1))
        return Expr(text: "\(classMethods[index].name)(\(arg))", bound: IntegerBounds.stored)
    }

    /// A string expression (no double quotes nested inside interpolation, so it can also sit in `eval`).
    mutating func stringExpr(_ scope: Scope) -> String {
        let s = rng.choose(scope.strings)
        switch rng.below(6) {
        case 0 where s != nil:
            return "(\(s!) + \"\(rng.pick(Self.words))\")"
        case 1:
            return "\"\(rng.pick(Self.words)) #{\(intExpr(scope, depth: 1).text)}\""
        case 2:
            return "\(intExpr(scope, depth: 1).text).to_s"
        case 3 where s != nil:
            return "\(s!).\(rng.pick(["upcase", "downcase", "reverse", "capitalize"]))"
        default:
            return "'\(rng.pick(Self.words))'"
        }
    }

    static let words = ["alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta", "iota", "kappa"]
}
