/// Operator expressions, assignments, primaries and literals.
extension Parser {
    // MARK: - Ternary and binary operators

    /// `cond ? a : b` (right-associative) over the binary operators; assignments appear as operands.
    mutating func parseTernary() throws -> Node {
        let condition = try parseBinary(minimumPrecedence: 1)
        guard kind == .question else { return condition }
        advance()
        try enterNesting()
        defer { leaveNesting() }
        let thenValue = try parseTernary()
        skipNewlines()
        guard kind == .colon else { throw unexpected(expecting: "':' in conditional expression") }
        advance()
        let elseValue = try parseTernary()
        return Node(.if(condition: condition, then: thenValue, else: elseValue), at: condition.location)
    }

    static let equalityPrecedence = 3

    static func binaryPrecedence(_ kind: TokenKind) -> Int? {
        switch kind {
        case .orOr: return 1
        case .andAnd: return 2
        case .equalEqual, .notEqual, .compare: return 3
        case .less, .lessEqual, .greater, .greaterEqual: return 4
        case .shiftLeft: return 5
        case .plus, .minus: return 6
        case .star, .slash, .percent: return 7
        default: return nil
        }
    }

    /// Precedence climbing: left-associative binary operators at or above `minimumPrecedence`.
    mutating func parseBinary(minimumPrecedence: Int) throws -> Node {
        var left = try parseUnary()
        var links = 0
        defer { depth -= links }
        var leftIsEquality = false
        while let precedence = Self.binaryPrecedence(kind), precedence >= minimumPrecedence {
            // `==`, `!=` and `<=>` are non-associative in Ruby: `a == b == c` is a syntax error.
            if precedence == Self.equalityPrecedence && leftIsEquality { throw unexpected() }
            leftIsEquality = precedence == Self.equalityPrecedence
            try enterChainLink(&links)
            let operatorKind = advance().kind
            let right = try parseBinary(minimumPrecedence: precedence + 1)
            switch operatorKind {
            case .andAnd: left = Node(.and(left, right), at: left.location)
            case .orOr: left = Node(.or(left, right), at: left.location)
            default:
                let name = Self.operatorSpelling(operatorKind)!
                left = Node(.call(receiver: left, name: name, arguments: [right], block: nil, hasParentheses: false),
                            at: left.location)
            }
        }
        return left
    }

    /// `!x`, `-x`, `+x`, and negative integer literals (`-1.abs` is `(-1).abs`, as in Ruby).
    /// Each case is its own function: this one is on the recursion path of every nesting level,
    /// so its frame stays small.
    mutating func parseUnary() throws -> Node {
        switch kind {
        case .bang:
            return try parseNotOperator()
        case .minus, .plus:
            return try parseSignOperator()
        default:
            return try parsePostfix(try parsePrimary())
        }
    }

    private mutating func parseNotOperator() throws -> Node {
        let bangLocation = advance().location
        try enterNesting()
        defer { leaveNesting() }
        let operand = try parseUnary()
        return Node(.not(operand), at: bangLocation)
    }

    private mutating func parseSignOperator() throws -> Node {
        let token = advance()
        let next = current
        if next.kind == .integer && !next.spaceBefore {
            advance()
            let magnitude = next.integer
            let value: Int64
            if token.kind == .minus {
                guard magnitude <= UInt64(Int64.max) + 1 else {
                    throw error("integer literal out of range", at: token.location)
                }
                value = magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
            } else {
                guard magnitude <= UInt64(Int64.max) else { throw error("integer literal out of range", at: next.location) }
                value = Int64(magnitude)
            }
            return try parsePostfix(Node(.integer(value), at: token.location))
        }
        try enterNesting()
        defer { leaveNesting() }
        let operand = try parseUnary()
        let name = token.kind == .minus ? "-@" : "+@"
        return Node(.call(receiver: operand, name: name, arguments: [], block: nil, hasParentheses: false),
                    at: token.location)
    }

    // MARK: - Postfix: `.name`, `::Name`, `[index]`

    mutating func parsePostfix(_ operand: Node) throws -> Node {
        var node = operand
        var links = 0
        defer { depth -= links }
        while true {
            switch kind {
            case .dot:
                try enterChainLink(&links)
                advance()
                skipNewlines()
                node = try parseMethodCall(receiver: node)
            case .colonColon where !current.spaceBefore || !peek().spaceBefore:
                try enterChainLink(&links)
                node = try parseScopedName(scope: node)
            case .leftBracket:
                try enterChainLink(&links)
                let (result, isAssignment) = try parseIndex(receiver: node)
                if isAssignment { return result }
                node = result
            case .newline where peek().kind == .dot:
                // A method chain continued by a leading `.` on the next line.
                advance()
            default:
                return node
            }
        }
    }

    /// `scope::Name` (a constant) or `scope::name` (a method call).
    private mutating func parseScopedName(scope: Node) throws -> Node {
        advance()
        if kind == .constant && !(peek().kind == .leftParen && !peek().spaceBefore) {
            let name = advance().text
            if kind == .assign || kind == .plusAssign || kind == .minusAssign {
                throw error("unsupported syntax: assignment to a scoped constant", at: location)
            }
            return Node(.constant(scope: scope, name: name, topLevel: false), at: scope.location)
        }
        return try parseMethodCall(receiver: scope)
    }

    /// `receiver[args]`, `receiver[args] = v`, `receiver[args] += v`; says whether it was an assignment.
    private mutating func parseIndex(receiver: Node) throws -> (Node, isAssignment: Bool) {
        let openLocation = advance().location
        let arguments = try parseArgumentList(closing: .rightBracket, "]", opener: "[", at: openLocation)
        switch kind {
        case .assign:
            advance()
            let value = try parseAssignedValue()
            return (Node(.attributeAssign(receiver: receiver, name: "[]=", arguments: arguments + [value]), at: receiver.location), true)
        case .plusAssign, .minusAssign:
            let target = Node(.call(receiver: receiver, name: "[]", arguments: arguments, block: nil, hasParentheses: false),
                              at: receiver.location)
            return (try parseOperatorAssign(target: target), true)
        default:
            return (Node(.call(receiver: receiver, name: "[]", arguments: arguments, block: nil, hasParentheses: false),
                         at: receiver.location), false)
        }
    }

    // MARK: - Assignment

    /// The right-hand side of `=`: an operand expression (commands allowed, e.g. `x = foo 1`).
    mutating func parseAssignedValue() throws -> Node {
        try enterNesting()
        defer { leaveNesting() }
        return try parseTernary()
    }

    /// `target += value` / `target -= value`, with the current token being the operator.
    mutating func parseOperatorAssign(target: Node) throws -> Node {
        let op = advance().kind == .plusAssign ? "+" : "-"
        let value = try parseAssignedValue()
        return Node(.operatorAssign(target: target, op: op, value: value), at: target.location)
    }

    /// Handles `=`, `+=`, `-=` after a variable; nil when the variable is just read.
    mutating func parseVariableAssignment(read: Node, assign: (Node) -> NodeKind) throws -> Node? {
        switch kind {
        case .assign:
            advance()
            let value = try parseAssignedValue()
            return Node(assign(value), at: read.location)
        case .plusAssign, .minusAssign:
            return try parseOperatorAssign(target: read)
        default:
            return nil
        }
    }

    // MARK: - Primaries

    /// One operand. A dispatch only: each construct is parsed by its own function so this frame,
    /// which recurs at every nesting level, stays small.
    mutating func parsePrimary() throws -> Node {
        try enterNesting()
        defer { leaveNesting() }
        switch kind {
        case .integer: return try parseIntegerLiteral()
        case .stringLiteral, .stringBegin: return try parseString()
        case .symbol: return parseSymbol()
        case .leftBracket: return try parseArrayLiteral()
        case .leftParen: return try parseParenthesized()
        case .kwNil, .kwTrue, .kwFalse, .kwSelf: return parseKeywordValue()
        case .instanceVariable, .globalVariable: return try parseVariable()
        case .constant: return try parseConstant()
        case .colonColon: return try parseTopLevelConstant()
        case .identifier: return try parseIdentifier()
        case .kwIf: return try parseIf()
        case .kwUnless: return try parseUnless()
        case .kwWhile, .kwUntil: return try parseWhile()
        case .kwBegin: return try parseBegin()
        case .kwDef: return try parseMethodDefinition()
        case .kwClass: return try parseClassDefinition()
        case .kwModule: return try parseModuleDefinition()
        case .kwReturn, .kwBreak, .kwNext: return try parseJump()
        case .kwYield: return try parseYield()
        case .kwNot: return try parseNotKeywordOperand()
        case .leftBrace: throw error("unsupported syntax: hash literals", at: location)
        case .star: throw error("unsupported syntax: splat arguments (*)", at: location)
        default: throw unexpected(expecting: "an expression")
        }
    }

    private mutating func parseIntegerLiteral() throws -> Node {
        let token = advance()
        guard token.integer <= UInt64(Int64.max) else { throw error("integer literal out of range", at: token.location) }
        return Node(.integer(Int64(token.integer)), at: token.location)
    }

    private mutating func parseSymbol() -> Node {
        let token = advance()
        return Node(.symbol(token.text), at: token.location)
    }

    private mutating func parseArrayLiteral() throws -> Node {
        let openLocation = advance().location
        let elements = try parseArgumentList(closing: .rightBracket, "]", opener: "[", at: openLocation)
        return Node(.array(elements), at: openLocation)
    }

    private mutating func parseParenthesized() throws -> Node {
        let openLocation = advance().location
        let statements = try parseStatements()
        try expectClosing(.rightParen, ")", opener: "(", at: openLocation)
        return Self.valueOf(statements, at: openLocation)
    }

    private mutating func parseKeywordValue() -> Node {
        let token = advance()
        switch token.kind {
        case .kwNil: return Node(.nil, at: token.location)
        case .kwTrue: return Node(.true, at: token.location)
        case .kwFalse: return Node(.false, at: token.location)
        default: return Node(.self, at: token.location)
        }
    }

    /// `@x`, `$x`, and their assignments.
    private mutating func parseVariable() throws -> Node {
        let token = advance()
        let isInstance = token.kind == .instanceVariable
        let read = Node(isInstance ? .instanceVariable(token.text) : .globalVariable(token.text), at: token.location)
        return try parseVariableAssignment(read: read) {
            isInstance ? .instanceVariableAssign(token.text, $0) : .globalAssign(token.text, $0)
        } ?? read
    }

    private mutating func parseTopLevelConstant() throws -> Node {
        let colonsLocation = advance().location
        guard kind == .constant else { throw unexpected(expecting: "a constant name after '::'") }
        let name = advance().text
        return Node(.constant(scope: nil, name: name, topLevel: true), at: colonsLocation)
    }

    /// `not(x)` as an operand, or `not` where Ruby would not allow it (`x = not y`, parsed leniently).
    private mutating func parseNotKeywordOperand() throws -> Node {
        let notLocation = advance().location
        let operand = kind == .leftParen && !current.spaceBefore ? try parsePrimary() : try parseTernary()
        return Node(.not(operand), at: notLocation)
    }

    mutating func parseConstant() throws -> Node {
        let token = advance()
        if kind == .leftParen && !current.spaceBefore {
            // `Integer(x)`: a method whose name is capitalised.
            return try parseCallRest(receiver: nil, name: token.text, at: token.location)
        }
        switch kind {
        case .assign:
            advance()
            let value = try parseAssignedValue()
            return Node(.constantAssign(name: token.text, value), at: token.location)
        case .plusAssign, .minusAssign:
            throw error("unsupported syntax: operator assignment to a constant", at: location)
        default:
            return Node(.constant(scope: nil, name: token.text, topLevel: false), at: token.location)
        }
    }

    /// A local variable read or assignment, or a call with implicit self (Ruby decides by whether the
    /// name has been assigned earlier in the scope).
    mutating func parseIdentifier() throws -> Node {
        let token = advance()
        let name = token.text
        let canBeLocal = Self.isLocalName(name)
        if canBeLocal {
            switch kind {
            case .assign:
                // Declared before the value is parsed: in `x = x` the right-hand `x` is the (nil) local.
                locals.declare(name)
                advance()
                let value = try parseAssignedValue()
                return Node(.localAssign(name, value), at: token.location)
            case .plusAssign, .minusAssign:
                locals.declare(name)
                return try parseOperatorAssign(target: Node(.localVariable(name), at: token.location))
            default:
                break
            }
        }
        if kind == .leftParen && !current.spaceBefore {
            return try parseCallRest(receiver: nil, name: name, at: token.location)
        }
        if canBeLocal && locals.isDefined(name) {
            return Node(.localVariable(name), at: token.location)
        }
        return try parseCallRest(receiver: nil, name: name, at: token.location)
    }

    // MARK: - Strings

    /// A string literal, possibly interpolated, plus adjacent literals (`"a" "b"` is `"ab"`).
    mutating func parseString() throws -> Node {
        let start = location
        var parts: [StringPart] = []
        var pending = ""
        var interpolated = false
        repeat {
            if kind == .stringLiteral {
                pending += advance().text
                continue
            }
            advance()  // stringBegin
            loop: while true {
                switch kind {
                case .stringContent:
                    pending += advance().text
                case .interpolationBegin:
                    let open = advance()
                    let statements = try parseStatements()
                    try expectClosing(.interpolationEnd, "}", opener: "#{", at: open.location)
                    if !pending.isEmpty {
                        parts.append(.literal(pending))
                        pending = ""
                    }
                    parts.append(.interpolation(Self.valueOf(statements, at: open.location)))
                    interpolated = true
                case .stringEnd:
                    advance()
                    break loop
                default:
                    throw unexpected(expecting: "end of string")
                }
            }
        } while (kind == .stringLiteral || kind == .stringBegin) && current.spaceBefore
        if !interpolated { return Node(.string(pending), at: start) }
        if !pending.isEmpty { parts.append(.literal(pending)) }
        return Node(.interpolatedString(parts), at: start)
    }
}
