/// The local variables the parser has seen assigned, which decide whether `foo` reads a local or
/// calls a method (Ruby decides this at parse time).
///
/// `def`, `class` and `module` bodies (and the top level) open a hard scope that sees nothing outside;
/// a block opens a soft scope that also sees the enclosing scopes' locals.
struct LocalScope {
    enum Kind {
        case topLevel, method, classBody, block
    }

    /// A set, not an array: generated programs may have thousands of locals in one scope.
    var names: Set<String> = []
    let kind: Kind
    var isBlock: Bool { kind == .block }
}

/// The stack of scopes being parsed.
struct LocalScopes {
    private var scopes: [LocalScope]

    init() {
        scopes = []
        scopes.reserveCapacity(8)
        scopes.append(LocalScope(kind: .topLevel))
    }

    /// Whether `name` is a local visible here.
    func isDefined(_ name: String) -> Bool {
        for scope in scopes.reversed() {
            if scope.names.contains(name) { return true }
            if !scope.isBlock { return false }
        }
        return false
    }

    /// Declares `name` in the innermost scope unless it is already visible.
    mutating func declare(_ name: String) {
        if !isDefined(name) { scopes[scopes.count - 1].names.insert(name) }
    }

    /// Whether `name` was declared in the innermost scope itself (duplicate parameter check).
    func isDeclaredInInnermost(_ name: String) -> Bool {
        scopes[scopes.count - 1].names.contains(name)
    }

    /// Declares a parameter in the innermost scope, shadowing any enclosing local of that name.
    mutating func declareParameter(_ name: String) {
        scopes[scopes.count - 1].names.insert(name)
    }

    mutating func push(_ kind: LocalScope.Kind) {
        scopes.append(LocalScope(kind: kind))
    }

    mutating func pop() {
        scopes.removeLast()
    }
}
