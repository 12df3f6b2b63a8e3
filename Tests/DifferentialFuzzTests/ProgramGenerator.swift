import TestSupport
/// Generates random, valid, terminating, deterministic programs in the guest subset from a seed.
///
/// A program defines top-level methods (some of which yield, some of which may be removed), classes
/// with ivars and single inheritance, and recursive helpers, then runs a sequence of top-level
/// statements interleaved with redefinitions (`def`, `eval`), removals, class reopenings, deep
/// recursion and, for jitstack-only programs, integer overflow. Termination is by construction: loops
/// have literal bounds and counters nothing else assigns, the call graph is acyclic except for
/// recursion with a decreasing literal bound, and every scope has a cost allowance its calls and loops
/// must fit in. Output is deterministic: nothing prints object addresses or hashes.
struct ProgramGenerator {
    var rng: SplitMix64
    let options: GeneratorOptions
    var methods: [TopMethod] = []
    var classMethods: [ClassMethod] = []
    var classes: [GuestClass] = []
    /// Recursive helpers: name, greatest depth, how a call looks (`n` stands for the depth).
    var recursions: [(name: String, maxDepth: Int, call: String)] = []
    private var counter = 0
    private var chunks: [String] = []

    static let mainAllowance = 20_000

    init(seed: UInt64, options: GeneratorOptions) {
        rng = SplitMix64(seed: seed)
        self.options = options
    }

    /// The program for `seed`: the same seed and options always give the same text.
    static func generate(seed: UInt64, options: GeneratorOptions) -> GeneratedProgram {
        var generator = ProgramGenerator(seed: seed, options: options)
        generator.buildProgram()
        return GeneratedProgram(seed: seed, statements: generator.chunks)
    }

    mutating func freshName(_ prefix: String) -> String {
        counter += 1
        return "\(prefix)\(counter)"
    }

    /// Indices of the class methods an instance of `cls` responds to.
    func methodsVisible(in cls: Int) -> [Int] {
        var seen = Set<Int>()
        var current: Int? = cls
        while let c = current {
            seen.formUnion(classes[c].own)
            current = classes[c].parent
        }
        return seen.sorted()
    }

    private mutating func emit(_ lines: [String]) {
        if !lines.isEmpty { chunks.append(lines.joined(separator: "\n")) }
    }

    private mutating func buildProgram() {
        for _ in 0..<rng.int(in: 2...6) { addTopMethod() }
        for _ in 0..<rng.int(in: 0...2) { addRecursion() }
        for _ in 0..<rng.int(in: 0...3) { addClass() }
        var main = Scope(allowance: Self.mainAllowance, methodLimit: methods.count)
        for _ in 0..<rng.int(in: 8...30) {
            main.methodLimit = methods.count
            switch rng.below(100) {
            case 0..<55: emit(statement(&main))
            case 55..<63: redefineTopMethod()
            case 63..<68: evalDefinition()
            case 68..<73: removeTopMethod()
            case 73..<76: evalChurn()
            case 76..<81: reopenClass()
            case 81..<85: removeClassMethod()
            case 85..<90: deepRecursion()
            case 90..<95 where options.integerOverflow: emit(overflowCase())
            case 95..<98 where options.fibers: emit(fiberCase())
            default: emit(statement(&main))
            }
        }
        if options.uncaughtErrors && rng.chance(8) {
            emit([rng.pick(["raise \"uncaught at the end\"", "p(1 / 0)", "undefined_at_the_end(1)"])])
            emit(["puts \"not reached\""])
        }
    }

    // MARK: Top-level methods

    private mutating func addTopMethod() {
        let kind: TopMethod.Kind = rng.chance(25) ? .yielding : .plain
        let method = TopMethod(
            name: freshName(kind == .yielding ? "each_m" : "m"),
            arity: kind == .yielding ? 1 : rng.int(in: 0...3),
            kind: kind,
            cost: rng.pick([40, 400, 4000]),
            volatile: kind == .plain && rng.chance(30)
        )
        methods.append(method)
        emit(methodDefinition(methods.count - 1))
    }

    /// A full `def` of top-level method `index` with a random body; it calls only methods defined before it.
    mutating func methodDefinition(_ index: Int) -> [String] {
        let m = methods[index]
        let params = (0..<m.arity).map { _ in freshName("p") }
        var scope = Scope(allowance: m.cost / 16, methodLimit: index)
        scope.ints = params
        scope.inMethod = true
        let header = params.isEmpty ? "def \(m.name)" : "def \(m.name)(\(params.joined(separator: ", ")))"
        var body: [String] = []
        if m.kind == .yielding {
            body += yieldingBody(params[0], &scope)
        } else {
            body += statements(&scope, count: rng.int(in: 0...3))
            body.append(storable(scope))
        }
        return [header] + indented(body) + ["end"]
    }

    /// A yielding method's body: yields a bounded number of times and returns an integer.
    private mutating func yieldingBody(_ param: String, _ scope: inout Scope) -> [String] {
        var lines: [String] = []
        if rng.chance(30) { lines.append("return \(param) unless block_given?") }
        switch rng.below(3) {
        case 0:
            let total = freshName("t"), step = freshName("w")
            let count = rng.int(in: 1...6)
            lines += [
                "\(total) = 0", "\(step) = 0",
                "while \(step) < \(count)",
                "  \(step) += 1",
                "  \(total) = (\(total) + yield((\(param) + \(step)) % \(IntegerBounds.modulus))) % \(IntegerBounds.modulus)",
                "end",
                total,
            ]
        case 1:
            let x = freshName("v"), total = freshName("t")
            lines += [
                "\(total) = 0",
                "[\(param), 1, 2].each { |\(x)| \(total) = (\(total) + yield(\(x))) % \(IntegerBounds.modulus) }",
                total,
            ]
        default:
            scope.canYield = true
            lines += statements(&scope, count: rng.int(in: 0...2))
            lines.append("yield(\(storable(scope)))")
        }
        return lines
    }

    private mutating func redefineTopMethod() {
        guard let index = rng.choose(Array(methods.indices)) else { return }
        if methods[index].kind == .plain && rng.chance(40) {
            emit([evalText(index)])
        } else {
            emit(methodDefinition(index))
        }
    }

    /// `eval("def name(...); body; end")`: the body is one expression without string literals.
    private mutating func evalText(_ index: Int) -> String {
        let m = methods[index]
        let params = (0..<m.arity).map { _ in freshName("p") }
        var scope = Scope(allowance: m.cost / 16, methodLimit: index)
        scope.ints = params
        let header = params.isEmpty ? "def \(m.name)" : "def \(m.name)(\(params.joined(separator: ", ")))"
        let binding = rng.chance(60) ? ", TOPLEVEL_BINDING" : ""
        return "eval(\"\(header); \(storable(scope)); end\"\(binding))"
    }

    private mutating func evalDefinition() {
        let method = TopMethod(name: freshName("ev"), arity: rng.int(in: 0...2), kind: .plain,
                               cost: rng.pick([40, 400]), volatile: rng.chance(40))
        methods.append(method)
        emit([evalText(methods.count - 1)])
    }

    /// Redefines one method many times through `eval`, calling each version at once: ISEQ churn.
    private mutating func evalChurn() {
        let name = freshName("churn")
        let i = freshName("v")
        let count = rng.int(in: 2...(rng.chance(20) ? 60 : 12))
        let op = rng.pick(["+", "-", "*"])
        methods.append(TopMethod(name: name, arity: 1, kind: .plain, cost: 4, volatile: true))
        emit([
            "\(count).times do |\(i)|",
            "  eval(\"def \(name)(x); (x \(op) #{\(i)}) % \(IntegerBounds.modulus); end\", TOPLEVEL_BINDING)",
            "  p(\(name)(\(i) + \(rng.int(in: 0...9))))",
            "end",
        ])
    }

    private mutating func removeTopMethod() {
        let candidates = methods.filter(\.volatile)
        guard let m = rng.choose(candidates) else { return }
        let removal = rng.chance(50) ? ["Object.remove_method(:\(m.name))"]
            : ["class Object", "  remove_method(:\(m.name))", "end"]
        emit(["begin"] + indented(removal) + [
            "  puts \"removed \(m.name)\"",
            "rescue NameError => e",
            "  puts \"cannot remove: #{e.message}\"",
            "end",
        ])
    }

    // MARK: Recursion

    private mutating func addRecursion() {
        let name = freshName("rec")
        let k = rng.int(in: 1...9)
        let mod = IntegerBounds.modulus
        switch rng.below(6) {
        case 0:
            emit(["def \(name)(n, acc)", "  return acc if n <= 0", "  \(name)(n - 1, (acc + n * \(k)) % \(mod))", "end"])
            recursions.append((name, 2000, "\(name)(n, 0)"))
        case 1:
            emit(["def \(name)(n)", "  n <= 0 ? 0 : (\(name)(n - 1) + \(k)) % \(mod)", "end"])
            recursions.append((name, 2000, "\(name)(n)"))
        case 2:
            emit(["def \(name)(n)", "  return 0 if n <= 0", "  r = 0", "  1.times { r = \(name)(n - 1) + \(k) }", "  r", "end"])
            recursions.append((name, 500, "\(name)(n)"))
        case 3:
            // Non-local return from a block at every level.
            emit(["def \(name)(n)", "  return 1 if n <= 0", "  [n].each { |x| return (\(name)(x - 1) * 2 + \(k)) % \(mod) }", "  0", "end"])
            recursions.append((name, 500, "\(name)(n)"))
        case 4:
            let odd = freshName("odd")
            emit(["def \(name)(n)", "  n == 0 ? true : \(odd)(n - 1)", "end",
                  "def \(odd)(n)", "  n == 0 ? false : \(name)(n - 1)", "end"])
            recursions.append((name, 2000, "\(name)(n)"))
        default:
            // Raises at the bottom; every level's ensure runs on the way out.
            let global = "$" + freshName("ensured")
            emit(["\(global) = 0", "def \(name)(n)", "  begin", "    raise \"bottom of \(name)\" if n <= 0",
                  "    \(name)(n - 1)", "  ensure", "    \(global) += 1", "  end", "end"])
            recursions.append((name, 1000, "(begin; \(name)(n); rescue => e; e.message + \" \" + \(global).to_s; end)"))
        }
    }

    private mutating func deepRecursion() {
        guard let r = rng.choose(recursions) else { return }
        let depth = rng.chance(50) ? r.maxDepth - rng.below(10) : rng.int(in: 0...r.maxDepth)
        emit(["p(\(r.call.replacingOccurrences(of: "(n", with: "(\(depth)")))"])
    }

    // MARK: Classes

    private mutating func addClass() {
        let index = classes.count
        let parent = index > 0 && rng.chance(60) ? rng.below(index) : nil
        let name = "K\(freshName(""))"
        classes.append(GuestClass(name: name, parent: parent, own: [], attrReader: rng.chance(50)))
        var lines = [parent.map { "class \(name) < \(classes[$0].name)" } ?? "class \(name)"]
        if parent == nil || rng.chance(25) {
            let a = freshName("p"), b = freshName("p")
            let (first, second) = parent == nil ? (a, b) : ("(\(b) + 1) % \(IntegerBounds.modulus)", a)
            lines += ["  def initialize(\(a), \(b))", "    @x = \(first)", "    @y = \(second)", "  end"]
        }
        if parent == nil {
            lines += classes[index].attrReader ? ["  attr_reader :x, :y"]
                : ["  def x", "    @x", "  end", "  def y", "    @y", "  end"]
            lines += ["  def bump(d)", "    @x = (@x + d) % \(IntegerBounds.modulus)", "  end"]
        }
        for _ in 0..<rng.int(in: 1...3) {
            let visible = methodsVisible(in: index)
            let target: Int
            if let inherited = rng.choose(visible), rng.chance(40) {
                target = inherited
            } else {
                classMethods.append(ClassMethod(name: freshName("calc"), cost: rng.pick([40, 400]), home: index))
                target = classMethods.count - 1
            }
            lines += indented(classMethodDefinition(target, in: index))
            classes[index].own.insert(target)
        }
        lines.append("end")
        emit(lines)
    }

    private mutating func classMethodDefinition(_ method: Int, in cls: Int) -> [String] {
        let m = classMethods[method]
        let param = freshName("p")
        var scope = Scope(allowance: m.cost / 16, methodLimit: methods.count)
        scope.ints = [param]
        scope.inMethod = true
        scope.selfClass = cls
        scope.classMethodLimit = method
        var body = statements(&scope, count: rng.int(in: 0...2))
        body.append(storable(scope))
        return ["def \(m.name)(\(param))"] + indented(body) + ["end"]
    }

    private mutating func reopenClass() {
        guard let cls = rng.choose(Array(classes.indices)), let method = rng.choose(methodsVisible(in: cls)) else { return }
        classes[cls].own.insert(method)
        emit(["class \(classes[cls].name)"] + indented(classMethodDefinition(method, in: cls)) + ["end"])
    }

    /// Removes an override (revealing the inherited method) or tries to remove one the class lacks.
    private mutating func removeClassMethod() {
        let subclasses = classes.indices.filter { classes[$0].parent != nil }
        guard let cls = rng.choose(subclasses),
              let method = rng.choose(methodsVisible(in: cls).filter { classMethods[$0].home != cls })
        else { return }
        classes[cls].own.remove(method)
        let name = classes[cls].name, selector = classMethods[method].name
        let removal = rng.chance(50) ? ["\(name).remove_method(:\(selector))"]
            : ["class \(name)", "  remove_method :\(selector)", "end"]
        emit(["begin"] + indented(removal) + [
            "  puts \"removed \(name)#\(selector)\"",
            "rescue NameError => e",
            "  puts \"cannot remove: #{e.message}\"",
            "end",
        ])
    }
}
