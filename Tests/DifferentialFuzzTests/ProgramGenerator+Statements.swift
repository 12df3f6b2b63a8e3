/// Statements inside a scope: assignments, output, conditionals, bounded loops, blocks, rescue, jumps.
/// Locals introduced inside a nested construct are forgotten after it, so no later statement reads a
/// local that may be unassigned (nil) on the path taken.
extension ProgramGenerator {
    /// Up to `count` statements; the scope grows with the locals they declare.
    mutating func statements(_ scope: inout Scope, count: Int) -> [String] {
        var lines: [String] = []
        for _ in 0..<count { lines += statement(&scope) }
        return lines
    }

    func indented(_ lines: [String]) -> [String] { lines.map { "  " + $0 } }

    /// A nested scope: one level deeper, same locals.
    func nested(_ scope: Scope, allowanceDivisor: Int = 1) -> Scope {
        var inner = scope
        inner.depth += 1
        inner.allowance = scope.allowance / max(allowanceDivisor, 1)
        return inner
    }

    mutating func statement(_ scope: inout Scope) -> [String] {
        for _ in 0..<8 {
            if let lines = tryStatement(&scope) { return lines }
        }
        return ["p(\(storable(scope)))"]
    }

    private mutating func tryStatement(_ scope: inout Scope) -> [String]? {
        let deep = scope.depth >= 3
        switch rng.below(deep ? 9 : 22) {
        case 0, 1:
            let name = freshName("i")
            let value = storable(scope)
            scope.ints.append(name)
            return ["\(name) = \(value)"]
        case 2:
            // Loop counters (`w`) are never reassigned: that could keep a loop running forever.
            guard let v = rng.choose(scope.ints.filter { !$0.hasPrefix("w") }) else { return nil }
            if rng.chance(40) { return ["\(v) \(rng.pick(["+=", "-="])) \(rng.int(in: 1...100))"] }
            return ["\(v) = \(storable(scope))"]
        case 3:
            return [output(scope)]
        case 4:
            let name = freshName("s")
            let value = stringExpr(scope)
            scope.strings.append(name)
            return ["\(name) = \(value)"]
        case 5:
            let name = freshName("a")
            let elements = (0..<rng.int(in: 1...4)).map { _ in storable(scope) }
            scope.arrays.append(name)
            scope.mutableArrays.insert(name)
            return ["\(name) = [\(elements.joined(separator: ", "))]"]
        case 6:
            return arrayMutation(&scope)
        case 7:
            guard scope.jumpTarget else { return nil }
            let c = condition(scope, depth: 1)
            if rng.chance(50) { return ["next \(storable(scope)) if \(c)"] }
            return ["break \(storable(scope)) if \(c)"]
        case 8:
            guard scope.inMethod else { return nil }
            return ["return \(storable(scope)) if \(condition(scope, depth: 1))"]
        case 9, 10:
            return ifStatement(scope)
        case 11:
            return whileLoop(scope)
        case 12:
            return timesLoop(&scope)
        case 13:
            return eachLoop(&scope)
        case 14:
            return rescueStatement(scope)
        case 15:
            guard scope.protected else { return nil }
            return raising(scope)
        case 16:
            return yieldingCallStatement(&scope)
        case 17:
            return volatileCall(scope)
        case 18:
            return objectStatement(&scope)
        case 19:
            guard let a = rng.choose(scope.arrays) else { return nil }
            let x = freshName("v")
            var inner = nested(scope, allowanceDivisor: 8)
            inner.ints.append(x)
            let method = rng.pick(["map", "select", "reject"])
            let body = method == "map" ? storable(inner) : condition(inner, depth: 1)
            return ["p(\(a).\(method) { |\(x)| \(body) })"]
        case 20:
            guard scope.canYield else { return nil }
            let name = freshName("i")
            let value = "yield(\(storable(scope)))"
            scope.ints.append(name)
            return ["\(name) = \(value)", "p(\(name))"]
        default:
            return [output(scope)]
        }
    }

    private mutating func output(_ scope: Scope) -> String {
        let a = rng.choose(scope.arrays), s = rng.choose(scope.strings)
        switch rng.below(7) {
        case 0: return "puts \(rng.choose(scope.ints) ?? storable(scope))"
        case 1: return "puts \"\(rng.pick(Self.words)) #{\(storable(scope))} #{\(stringExpr(scope))}\""
        case 2 where a != nil: return rng.chance(50) ? "p \(a!)" : "puts \(a!).size"
        case 3 where s != nil: return rng.chance(50) ? "puts \(s!)" : "p \(s!)"
        case 4: return "print \"\(rng.pick(Self.words))=\", \(storable(scope)), \"\\n\""
        default: return "p(\(storable(scope)))"
        }
    }

    private mutating func arrayMutation(_ scope: inout Scope) -> [String]? {
        guard let a = rng.choose(scope.arrays.filter { scope.mutableArrays.contains($0) }) else { return nil }
        switch scope.repeats ? 2 + rng.below(2) : rng.below(4) {
        case 0: return ["\(a) << \(storable(scope))"]
        case 1: return ["\(a).push(\(storable(scope)))"]
        case 2: return ["\(a)[\(intExpr(scope, depth: 1).text) % \(a).size] = \(storable(scope))"]
        default:
            // Arrays never become empty, so `first`, `last` and `a[i % a.size]` stay integers.
            let name = freshName("i")
            scope.ints.append(name)
            return ["\(name) = (\(a).size > 1 ? \(a).pop : 0)"]
        }
    }

    private mutating func ifStatement(_ scope: Scope) -> [String]? {
        guard scope.depth < 4 else { return nil }
        var lines = [(rng.chance(20) ? "unless " : "if ") + condition(scope, depth: 1)]
        var body = nested(scope)
        lines += indented(statements(&body, count: rng.int(in: 1...3)))
        if rng.chance(30) && !lines[0].hasPrefix("unless") {
            var other = nested(scope)
            lines.append("elsif \(condition(scope, depth: 1))")
            lines += indented(statements(&other, count: rng.int(in: 1...2)))
        }
        if rng.chance(50) {
            var other = nested(scope)
            lines.append("else")
            lines += indented(statements(&other, count: rng.int(in: 1...2)))
        }
        lines.append("end")
        return lines
    }

    private mutating func whileLoop(_ scope: Scope) -> [String]? {
        let count = rng.int(in: 1...(rng.chance(10) ? 300 : 12))
        guard scope.depth < 3, scope.allowance / count >= 8 else { return nil }
        let counter = freshName("w")
        var body = nested(scope, allowanceDivisor: count)
        body.ints.append(counter)
        body.repeats = true
        body.jumpTarget = true
        let until = rng.chance(25)
        // The counter moves first, so `next` can never skip it.
        var lines = ["\(counter) = 0", until ? "until \(counter) >= \(count)" : "while \(counter) < \(count)"]
        lines.append("  \(counter) += 1")
        lines += indented(statements(&body, count: rng.int(in: 1...4)))
        lines.append("end")
        if rng.chance(50) { lines.append("p(\(counter))") }
        return lines
    }

    private mutating func timesLoop(_ scope: inout Scope) -> [String]? {
        let count = rng.int(in: 0...(rng.chance(10) ? 200 : 10))
        guard scope.depth < 3, scope.allowance / max(count, 1) >= 8 else { return nil }
        let index = freshName("v")
        var body = nested(scope, allowanceDivisor: max(count, 1))
        body.ints.append(index)
        body.repeats = true
        body.jumpTarget = true
        let result = freshName("r")
        let braces = rng.chance(30)
        var lines = ["\(result) = \(count).times \(braces ? "{" : "do") |\(index)|"]
        lines += indented(statements(&body, count: rng.int(in: 1...3)))
        lines.append(braces ? "}" : "end")
        // Without a break the result is the count, with one the break value: an integer either way.
        lines.append("p(\(result))")
        scope.ints.append(result)
        return lines
    }

    private mutating func eachLoop(_ scope: inout Scope) -> [String]? {
        guard scope.depth < 3, let a = rng.choose(scope.arrays), scope.allowance >= 64 else { return nil }
        let element = freshName("v")
        var body = nested(scope, allowanceDivisor: 16)
        body.ints.append(element)
        body.repeats = true
        body.jumpTarget = true
        body.mutableArrays.remove(a)
        let withIndex = rng.chance(25)
        let position = freshName("v")
        if withIndex { body.ints.append(position) }
        var lines = [withIndex ? "\(a).each_with_index do |\(element), \(position)|" : "\(a).each do |\(element)|"]
        lines += indented(statements(&body, count: rng.int(in: 1...3)))
        lines.append("end")
        return lines
    }

    private mutating func rescueStatement(_ scope: Scope) -> [String]? {
        guard scope.depth < 4 else { return nil }
        var body = nested(scope)
        body.protected = true
        var lines = ["begin"]
        lines += indented(statements(&body, count: rng.int(in: 1...3)))
        if rng.chance(40) { lines += indented(raising(body)) }
        if rng.chance(30) { lines += ["rescue ZeroDivisionError => e", "  puts \"zero: #{e.message}\""] }
        if rng.chance(30) { lines += ["rescue NoMethodError", "  puts \"no method\""] }
        lines += ["rescue => e", "  puts \"rescued #{e.class}: #{e.message}\""]
        if rng.chance(25) { lines += ["else", "  puts \"no error\""] }
        if rng.chance(40) { lines += ["ensure", "  puts \"ensure \(freshName(""))\""] }
        lines.append("end")
        return lines
    }

    /// Something that raises (sometimes only under a condition); only inside a protected `begin`.
    private mutating func raising(_ scope: Scope) -> [String] {
        switch rng.below(5) {
        case 0: return ["raise \"boom \(freshName(""))\" if \(condition(scope, depth: 1))"]
        case 1: return ["p(\(intExpr(scope, depth: 1).text) / \(reduced(intExpr(scope, depth: 2))))"]
        case 2: return ["p(\(intExpr(scope, depth: 1).text) % 0)"]
        case 3: return ["p(nil + \(literal().text))"]
        default: return ["raise \"fail \(freshName(""))\""]
        }
    }

    private mutating func yieldingCallStatement(_ scope: inout Scope) -> [String]? {
        let candidates = methods.prefix(scope.methodLimit).filter {
            $0.kind == .yielding && !$0.volatile && $0.cost * 4 <= scope.allowance
        }
        guard scope.depth < 3, let m = rng.choose(candidates) else { return nil }
        let v = freshName("v")
        var body = nested(scope, allowanceDivisor: 8)
        body.ints.append(v)
        body.repeats = true
        body.jumpTarget = true
        let result = freshName("r")
        var lines = ["\(result) = \(m.name)(\(storable(scope))) do |\(v)|"]
        lines += indented(statements(&body, count: rng.int(in: 0...2)))
        lines.append("  \(storable(body))")
        lines.append("end")
        lines.append("p(\(result))")
        scope.ints.append(result)
        return lines
    }

    /// A call to a method that may have been removed: rescued, printing the same either way.
    private mutating func volatileCall(_ scope: Scope) -> [String]? {
        let candidates = methods.prefix(scope.methodLimit).filter { $0.volatile && $0.cost <= scope.allowance }
        guard let m = rng.choose(candidates) else { return nil }
        return [
            "begin",
            "  p(\(callText(m.name, arity: m.arity, scope, depth: 1)))",
            // NameError: `name` without parentheses or arguments raises NameError, not NoMethodError.
            "rescue NameError",
            "  puts \"\(m.name) is gone\"",
            "end",
        ]
    }

    private mutating func objectStatement(_ scope: inout Scope) -> [String]? {
        guard !classes.isEmpty else { return nil }
        if scope.objects.isEmpty || rng.chance(40) {
            let cls = rng.below(classes.count)
            let name = freshName("o")
            let line = "\(name) = \(classes[cls].name).new(\(storable(scope)), \(storable(scope)))"
            scope.objects.append((name, cls))
            return [line]
        }
        let object = rng.pick(scope.objects)
        if rng.chance(30) { return ["p(\(object.name).bump(\(storable(scope))))"] }
        let callable = methodsVisible(in: object.cls).filter { classMethods[$0].cost <= scope.allowance }
        guard let index = rng.choose(callable) else { return nil }
        return ["p(\(object.name).\(classMethods[index].name)(\(storable(scope))))"]
    }
}
