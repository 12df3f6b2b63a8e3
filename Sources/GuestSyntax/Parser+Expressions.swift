/// Operator expressions, assignments, primaries and literals.
extension Parser {
    // MARK: - Ternary and binary operators

    /// `cond ? a : b` (right-associative) over the binary operators; assignments appear as operands.
    mutating func parseTernary() throws(SyntaxError) -> Node {
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
    mutating func parseBinary(minimumPrecedence: Int) throws(SyntaxError) -> Node {
        var left = try parseUnary()
        while let precedence = Self.binaryPrecedence(kind), precedence >= minimumPrecedence {
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
    mutating func parseUnary() throws(SyntaxError) -> Node {
        let token = current
        switch token.kind {
        case .bang:
            advance()
            try enterNesting()
            defer { leaveNesting() }
            let operand = try parseUnary()
            return Node(.not(operand), at: token.location)
        case .minus, .plus:
            let next = peek()
            if next.kind == .integer && !next.spaceBefore {
                advance()
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
            advance()
            try enterNesting()
            defer { leaveNesting() }
            let operand = try parseUnary()
            let name = token.kind == .minus ? "-@" : "+@"
            return Node(.call(receiver: operand, name: name, arguments: [], block: nil, hasParentheses: false),
                        at: token.location)
        default:
            return try parsePostfix(try parsePrimary())
        }
    }

    // MARK: - Postfix: `.name`, `::Name`, `[index]`

    mutating func parsePostfix(_ operand: Node) throws(SyntaxError) -> Node {
        var node = operand
        while true {
            switch kind {
            case .dot:
                advance()
                skipNewlines()
                node = try parseMethodCall(receiver: node)
            case .colonColon where !current.spaceBefore || !peek().spaceBefore:
                advance()
                if kind == .constant && !(peek().kind == .leftParen && !peek().spaceBefore) {
                    let name = advance()
                    if kind == .assign || kind == .plusAssign || kind == .minusAssign {
                        throw error("unsupported syntax: assignment to a scoped constant", at: location)
                    }
                    node = Node(.constant(scope: node, name: name.text, topLevel: false), at: node.location)
                } else {
                    node = try parseMethodCall(receiver: node)
                }
            case .leftBracket:
                let open = advance()
                let arguments = try parseArgumentList(closing: .rightBracket, "]", opener: "[", at: open.location)
                switch kind {
                case .assign:
                    advance()
                    let value = try parseAssignedValue()
                    return Node(.attributeAssign(receiver: node, name: "[]=", arguments: arguments + [value]), at: node.location)
                case .plusAssign, .minusAssign:
                    let target = Node(.call(receiver: node, name: "[]", arguments: arguments, block: nil, hasParentheses: false),
                                      at: node.location)
                    return try parseOperatorAssign(target: target)
                default:
                    node = Node(.call(receiver: node, name: "[]", arguments: arguments, block: nil, hasParentheses: false),
                                at: node.location)
                }
            case .newline where peek().kind == .dot:
                // A method chain continued by a leading `.` on the next line.
                advance()
            default:
                return node
            }
        }
    }

    // MARK: - Assignment

    /// The right-hand side of `=`: an operand expression (commands allowed, e.g. `x = foo 1`).
    mutating func parseAssignedValue() throws(SyntaxError) -> Node {
        try enterNesting()
        defer { leaveNesting() }
        return try parseTernary()
    }

    /// `target += value` / `target -= value`, with the current token being the operator.
    mutating func parseOperatorAssign(target: Node) throws(SyntaxError) -> Node {
        let op = advance().kind == .plusAssign ? "+" : "-"
        let value = try parseAssignedValue()
        return Node(.operatorAssign(target: target, op: op, value: value), at: target.location)
    }

    /// Handles `=`, `+=`, `-=` after a variable; nil when the variable is just read.
    mutating func parseVariableAssignment(read: Node, assign: (Node) -> NodeKind) throws(SyntaxError) -> Node? {
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

    mutating func parsePrimary() throws(SyntaxError) -> Node {
        try enterNesting()
        defer { leaveNesting() }
        let token = current
        switch token.kind {
        case .integer:
            advance()
            guard token.integer <= UInt64(Int64.max) else { throw error("integer literal out of range", at: token.location) }
            return Node(.integer(Int64(token.integer)), at: token.location)
        case .stringLiteral, .stringBegin:
            return try parseString()
        case .symbol:
            advance()
            return Node(.symbol(token.text), at: token.location)
        case .leftBracket:
            advance()
            let elements = try parseArgumentList(closing: .rightBracket, "]", opener: "[", at: token.location)
            return Node(.array(elements), at: token.location)
        case .leftParen:
            advance()
            let statements = try parseStatements()
            try expectClosing(.rightParen, ")", opener: "(", at: token.location)
            return Self.valueOf(statements, at: token.location)
        case .kwNil:
            advance()
            return Node(.nil, at: token.location)
        case .kwTrue:
            advance()
            return Node(.true, at: token.location)
        case .kwFalse:
            advance()
            return Node(.false, at: token.location)
        case .kwSelf:
            advance()
            return Node(.self, at: token.location)
        case .instanceVariable:
            advance()
            let read = Node(.instanceVariable(token.text), at: token.location)
            return try parseVariableAssignment(read: read) { .instanceVariableAssign(token.text, $0) } ?? read
        case .globalVariable:
            advance()
            let read = Node(.globalVariable(token.text), at: token.location)
            return try parseVariableAssignment(read: read) { .globalAssign(token.text, $0) } ?? read
        case .constant:
            return try parseConstant()
        case .colonColon:
            advance()
            guard kind == .constant else { throw unexpected(expecting: "a constant name after '::'") }
            let name = advance()
            return Node(.constant(scope: nil, name: name.text, topLevel: true), at: token.location)
        case .identifier:
            return try parseIdentifier()
        case .kwIf:
            return try parseIf()
        case .kwUnless:
            return try parseUnless()
        case .kwWhile, .kwUntil:
            return try parseWhile()
        case .kwBegin:
            return try parseBegin()
        case .kwDef:
            return try parseMethodDefinition()
        case .kwClass:
            return try parseClassDefinition()
        case .kwModule:
            return try parseModuleDefinition()
        case .kwReturn, .kwBreak, .kwNext:
            return try parseJump()
        case .kwYield:
            return try parseYield()
        case .kwNot:
            advance()
            let operand = try parseTernary()
            return Node(.not(operand), at: token.location)
        case .leftBrace:
            throw error("unsupported syntax: hash literals", at: token.location)
        default:
            throw unexpected()
        }
    }

    mutating func parseConstant() throws(SyntaxError) -> Node {
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
    mutating func parseIdentifier() throws(SyntaxError) -> Node {
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
    mutating func parseString() throws(SyntaxError) -> Node {
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
