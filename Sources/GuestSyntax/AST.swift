/// The abstract syntax tree of the Ruby subset.
///
/// The parser produces it, the bytecode compiler (GuestVM) consumes it. Every node carries the
/// location of its first token so errors and guest backtraces can say `file:line:col`.
/// Operators are plain method calls (`a + b` is `.call(receiver: a, name: "+", args: [b])`), as in
/// Ruby: the compiler turns the common ones into specialised instructions.

/// A position in a source file, 1-based.
public struct SourceLocation: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// One AST node: what it is and where it starts.
public struct Node: Equatable, Sendable {
    public var kind: NodeKind
    public var location: SourceLocation

    public init(_ kind: NodeKind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }
}

/// A literal block `do |a, b| ... end` or `{ |a| ... }` attached to a call.
public struct BlockLiteral: Equatable, Sendable {
    public var parameters: [String]
    public var body: Node
    public var location: SourceLocation

    public init(parameters: [String], body: Node, location: SourceLocation) {
        self.parameters = parameters
        self.body = body
        self.location = location
    }
}

/// One `rescue` clause: `rescue A, B => e` (empty `exceptionClasses` means StandardError).
public struct RescueClause: Equatable, Sendable {
    public var exceptionClasses: [Node]
    public var variable: String?
    public var body: Node

    public init(exceptionClasses: [Node], variable: String?, body: Node) {
        self.exceptionClasses = exceptionClasses
        self.variable = variable
        self.body = body
    }
}

/// A piece of an interpolated string `"a#{b}c"`.
public enum StringPart: Equatable, Sendable {
    case literal(String)
    case interpolation(Node)
}

/// What a node is.
public indirect enum NodeKind: Equatable, Sendable {
    // Literals
    case integer(Int64)
    case string(String)
    case interpolatedString([StringPart])
    case symbol(String)
    case array([Node])
    case `nil`
    case `true`
    case `false`
    case `self`

    // Variables and constants
    case localVariable(String)
    case localAssign(String, Node)
    case globalVariable(String)                  // name without `$`
    case globalAssign(String, Node)
    case instanceVariable(String)                // name without `@`
    case instanceVariableAssign(String, Node)
    /// `Name` (scope nil: lexical lookup), `Outer::Name` (scope given), `::Name` (topLevel).
    case constant(scope: Node?, name: String, topLevel: Bool)
    case constantAssign(name: String, Node)
    /// `x += v`, `@x -= v`, `a[i] += v`, `obj.attr += v`: target is the read form of the place
    /// (a variable node, an `[]` call or an attribute call); `op` is `"+"` or `"-"`.
    case operatorAssign(target: Node, op: String, value: Node)

    // Calls
    /// `receiver.name(args) { block }`; receiver nil means an implicit-self call.
    /// `hasParentheses` distinguishes `foo` (maybe a local) from `foo()` for diagnostics.
    case call(receiver: Node?, name: String, arguments: [Node], block: BlockLiteral?, hasParentheses: Bool)
    /// `receiver[index] = value` and `receiver.attr = value` are calls to `[]=` / `attr=`;
    /// their value is the assigned value, not the method's result (Ruby semantics).
    case attributeAssign(receiver: Node, name: String, arguments: [Node])
    case yield([Node])

    // Logic
    case not(Node)
    case and(Node, Node)
    case or(Node, Node)

    // Control flow
    case sequence([Node])
    case `if`(condition: Node, then: Node?, else: Node?)
    /// `while` and `until` (until is `while` with a negated condition). Value is nil unless `break v`.
    case `while`(condition: Node, body: Node)
    case `break`(Node?)
    case next(Node?)
    case `return`(Node?)
    case begin(body: Node, rescues: [RescueClause], elseBody: Node?, ensureBody: Node?)

    // Definitions
    /// `def name(params) ... end`; `singleton` is the receiver of `def self.name`.
    case methodDefinition(name: String, parameters: [String], body: Node, singleton: Node?)
    /// `class Name < Super ... end`; `path` is a `.constant` node.
    case classDefinition(path: Node, superclass: Node?, body: Node)
    case moduleDefinition(path: Node, body: Node)
}
