/// What the generator may put in a program.
struct GeneratorOptions: Sendable, Hashable {
    /// Integer overflow cases. The subset raises "integer overflow" where Ruby promotes to Bignum, so
    /// programs with them are compared only between jitstack configurations, never against ruby.
    var integerOverflow = false
    /// Fiber statements (issue 6). Off until `jitstack` runs fibers; the statements are valid Ruby.
    var fibers = false
    /// Sometimes end the program with an uncaught exception (exit status 1).
    var uncaughtErrors = true

    /// Programs checked against Debian's ruby.
    static let rubyComparable = GeneratorOptions()
    /// Programs compared only between `jitstack` configurations.
    static let jitstackOnly = GeneratorOptions(integerOverflow: true)
}

/// A generated program as its top-level statements (each one or more lines), kept apart so the
/// minimizer can drop them one at a time.
struct GeneratedProgram: Sendable {
    let seed: UInt64
    var statements: [String]

    var source: String { statements.isEmpty ? "" : statements.joined(separator: "\n") + "\n" }
}

/// Numeric limits that keep every generated integer far from Int64 overflow, so the subset and Ruby
/// agree: stored values (locals, parameters, array elements, ivars, results) stay below `stored`, an
/// expression is reduced modulo `modulus` before it is stored when it may exceed `reduceAbove`, and no
/// intermediate result may exceed `expression`.
enum IntegerBounds {
    static let stored = 1 << 31
    static let reduceAbove = 1 << 24
    static let expression = 1 << 60
    static let modulus = 1_000_003
}

/// An expression's text and a bound on the magnitude of its value.
struct Expr {
    var text: String
    var bound: Int
}

/// A top-level method the program defines.
struct TopMethod {
    enum Kind: Equatable {
        /// `def name(a, b, ...)`: integers in, an integer out.
        case plain
        /// Takes one integer and a block it yields integers to.
        case yielding
    }
    let name: String
    let arity: Int
    let kind: Kind
    /// Upper bound on the guest operations one call costs, whatever version of the body runs.
    let cost: Int
    /// May be removed: every call sits in a `rescue NoMethodError`.
    let volatile: Bool
}

/// A method of the generated classes, named uniquely across all classes.
struct ClassMethod {
    let name: String
    let cost: Int
    /// Index of the class that first defines it; it is never removed from there.
    let home: Int
}

/// A generated class.
struct GuestClass {
    let name: String
    let parent: Int?
    /// Indices (into the class-method list) of methods this class itself defines now.
    var own: Set<Int>
    /// Uses `attr_reader :x, :y` rather than written getters.
    let attrReader: Bool
}

/// The locals and permissions at one point of the program being generated.
struct Scope {
    var ints: [String] = []
    var strings: [String] = []
    var arrays: [String] = []
    /// Arrays that may be mutated here (an array being iterated is read-only inside its block).
    var mutableArrays: Set<String> = []
    var objects: [(name: String, cls: Int)] = []
    /// Guest operations one execution of a statement here may cost.
    var allowance: Int
    /// May call top-level methods with a smaller index (keeps the call graph acyclic).
    var methodLimit: Int
    var inMethod = false
    /// The innermost enclosing construct is a loop or block: `break`/`next` are valid.
    var jumpTarget = false
    var canYield = false
    /// Lexically inside a `begin` body with a catch-all rescue: raising is allowed.
    var protected = false
    /// Inside a method of this class: `@x`, `@y` and self calls.
    var selfClass: Int?
    /// Self calls may reach class methods with a smaller index.
    var classMethodLimit = 0
    var depth = 0
    /// Runs more than once per execution of its enclosing straight-line code (a loop or block body):
    /// arrays do not grow here, or a loop that appends makes an `each` over the array quadratic, which the
    /// allowances (they assume short arrays) do not see (seed 8002195 ran for minutes).
    var repeats = false
}
