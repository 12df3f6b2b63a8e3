/// Statement lists, statement modifiers, and the control-flow constructs.
extension Parser {
    /// Tokens that end a statement list; the caller decides whether the one found is acceptable.
    static func endsStatementList(_ kind: TokenKind) -> Bool {
        switch kind {
        case .endOfInput, .kwEnd, .kwElse, .kwElsif, .kwRescue, .kwEnsure, .rightBrace, .rightParen,
             .interpolationEnd:
            return true
        default:
            return false
        }
    }

    /// Statements separated by newlines or `;`, up to (not including) a list-ending token.
    mutating func parseStatements() throws -> [Node] {
        let savedAllowDo = allowDoBlock
        allowDoBlock = true
        defer { allowDoBlock = savedAllowDo }
        var statements: [Node] = []
        while true {
            skipTerminators()
            if Self.endsStatementList(kind) { return statements }
            statements.append(try parseStatement())
            if kind == .newline || kind == .semicolon { continue }
            if Self.endsStatementList(kind) { return statements }
            throw unexpected(expecting: "newline or ';' after statement")
        }
    }

    /// Statements as a body node (always a `.sequence`, possibly empty).
    mutating func parseBody() throws -> Node {
        let bodyLocation = location
        return Node(.sequence(try parseStatements()), at: bodyLocation)
    }

    /// One statement: an expression followed by any number of modifiers.
    mutating func parseStatement() throws -> Node {
        let start = position
        var node = try parseExpressionStatement()
        var links = 0
        defer { depth -= links }
        while true {
            switch kind {
            case .kwIf, .kwUnless, .kwWhile, .kwUntil, .kwRescue:
                try enterChainLink(&links)
                node = try parseModifier(applyingTo: node, statementStart: start)
            default:
                return node
            }
        }
    }

    /// `stmt if c`, `stmt unless c`, `stmt while c`, `stmt until c`, `stmt rescue v`.
    private mutating func parseModifier(applyingTo node: Node, statementStart start: Int) throws -> Node {
        let modifier = kind
        switch modifier {
        case .kwIf:
            advance()
            let condition = try parseExpressionStatement()
            return Node(.if(condition: condition, then: node, else: nil), at: node.location)
        case .kwUnless:
            advance()
            let condition = try parseExpressionStatement()
            return Node(.if(condition: condition, then: nil, else: node), at: node.location)
        case .kwWhile, .kwUntil:
            let isDoWhile = tokens[start].kind == .kwBegin && lastBeginBlockEnd == position
            advance()
            let condition = try parseExpressionStatement()
            if isDoWhile { return doWhile(body: node, condition: condition, stopWhenTrue: modifier == .kwUntil) }
            let test = modifier == .kwUntil ? Node(.not(condition), at: condition.location) : condition
            return Node(.while(condition: test, body: node), at: node.location)
        default:
            advance()
            let fallback = try parseTernary()
            return wrapInRescueModifier(node, fallback: fallback)
        }
    }

    /// `begin body end while c` runs the body before testing: `while true; body; break unless c; end`.
    private func doWhile(body: Node, condition: Node, stopWhenTrue: Bool) -> Node {
        let loc = body.location
        let exit = Node(.break(nil), at: condition.location)
        let test = stopWhenTrue
            ? Node(.if(condition: condition, then: exit, else: nil), at: condition.location)
            : Node(.if(condition: condition, then: nil, else: exit), at: condition.location)
        return Node(.while(condition: Node(.true, at: loc), body: Node(.sequence([body, test]), at: loc)), at: loc)
    }

    /// `x = expr rescue v` rescues the value (Ruby binds the modifier to the right-hand side).
    private func wrapInRescueModifier(_ node: Node, fallback: Node) -> Node {
        func rescued(_ body: Node) -> Node {
            let clause = RescueClause(exceptionClasses: [], variable: nil, body: fallback)
            return Node(.begin(body: body, rescues: [clause], elseBody: nil, ensureBody: nil), at: body.location)
        }
        switch node.kind {
        case .localAssign(let name, let value):
            return Node(.localAssign(name, rescued(value)), at: node.location)
        case .instanceVariableAssign(let name, let value):
            return Node(.instanceVariableAssign(name, rescued(value)), at: node.location)
        case .globalAssign(let name, let value):
            return Node(.globalAssign(name, rescued(value)), at: node.location)
        default:
            return rescued(node)
        }
    }

    /// `expr and expr`, `expr or expr` (same precedence, left-associative).
    mutating func parseExpressionStatement() throws -> Node {
        var left = try parseNotExpression()
        var links = 0
        defer { depth -= links }
        while kind == .kwAnd || kind == .kwOr {
            try enterChainLink(&links)
            let isAnd = kind == .kwAnd
            advance()
            let right = try parseNotExpression()
            left = Node(isAnd ? .and(left, right) : .or(left, right), at: left.location)
        }
        return left
    }

    /// `not expr`. (`not(x)` with the parenthesis touching is an operand instead, as in Ruby:
    /// `not(nil) || 3` is `(not nil) || 3`.)
    mutating func parseNotExpression() throws -> Node {
        guard kind == .kwNot, !(peek().kind == .leftParen && !peek().spaceBefore) else { return try parseTernary() }
        let notToken = advance()
        try enterNesting()
        defer { leaveNesting() }
        let operand = try parseNotExpression()
        return Node(.not(operand), at: notToken.location)
    }

    // MARK: - if / unless

    /// After a condition: `then`, a newline or `;` (optionally followed by `then`).
    mutating func parseThenSeparator(after construct: String) throws {
        if kind == .kwThen {
            advance()
            return
        }
        guard kind == .newline || kind == .semicolon else {
            throw unexpected(expecting: "'then' or newline", after: construct, " condition")
        }
        skipTerminators()
        if kind == .kwThen { advance() }
    }

    mutating func parseIf() throws -> Node {
        let ifToken = advance()
        var branches: [(condition: Node, body: Node)] = []
        var condition = try parseExpressionStatement()
        try parseThenSeparator(after: "if")
        branches.append((condition, try parseBody()))
        var links = 0
        defer { depth -= links }
        while kind == .kwElsif {
            try enterChainLink(&links)
            advance()
            condition = try parseExpressionStatement()
            try parseThenSeparator(after: "elsif")
            branches.append((condition, try parseBody()))
        }
        var elseBody: Node?
        if kind == .kwElse {
            advance()
            elseBody = try parseBody()
        }
        try expectClosing(.kwEnd, "end", opener: "if", at: ifToken.location)
        // Build the elsif chain from the innermost branch outwards (no recursion per elsif).
        var result = elseBody
        for (index, branch) in branches.enumerated().reversed() {
            let at = index == 0 ? ifToken.location : branch.condition.location
            result = Node(.if(condition: branch.condition, then: branch.body, else: result), at: at)
        }
        return result!
    }

    mutating func parseUnless() throws -> Node {
        let unlessToken = advance()
        let condition = try parseExpressionStatement()
        try parseThenSeparator(after: "unless")
        let body = try parseBody()
        var elseBody: Node?
        if kind == .kwElse {
            advance()
            elseBody = try parseBody()
        }
        try expectClosing(.kwEnd, "end", opener: "unless", at: unlessToken.location)
        return Node(.if(condition: condition, then: elseBody, else: body), at: unlessToken.location)
    }

    // MARK: - Loops

    /// `while cond [do] body end` and `until ...` (a `while` with a negated condition).
    mutating func parseWhile() throws -> Node {
        let loopToken = advance()
        let isUntil = loopToken.kind == .kwUntil
        let savedAllowDo = allowDoBlock
        allowDoBlock = false
        var condition = try parseExpressionStatement()
        allowDoBlock = savedAllowDo
        if kind == .kwDo {
            advance()
        } else if kind == .newline || kind == .semicolon {
            advance()
        } else {
            throw unexpected(expecting: "'do' or newline", after: loopToken.text, " condition")
        }
        let body = try parseBody()
        try expectClosing(.kwEnd, "end", opener: loopToken.text, at: loopToken.location)
        if isUntil { condition = Node(.not(condition), at: condition.location) }
        return Node(.while(condition: condition, body: body), at: loopToken.location)
    }

    // MARK: - begin / rescue / ensure

    mutating func parseBegin() throws -> Node {
        let beginToken = advance()
        let node = try parseBodyWithRescue(opener: "begin", at: beginToken.location)
        lastBeginBlockEnd = position
        return node
    }

    /// A body that may have `rescue`/`else`/`ensure` clauses, closed by `end` (begin, def, class,
    /// module and do-blocks). Without clauses it is the plain body sequence.
    mutating func parseBodyWithRescue(opener: String, at openLocation: SourceLocation) throws -> Node {
        let body = try parseBody()
        var rescues: [RescueClause] = []
        while kind == .kwRescue {
            rescues.append(try parseRescueClause())
        }
        var elseBody: Node?
        if kind == .kwElse {
            if rescues.isEmpty { throw error("'else' without 'rescue' is not allowed", at: location) }
            advance()
            elseBody = try parseBody()
        }
        var ensureBody: Node?
        if kind == .kwEnsure {
            advance()
            ensureBody = try parseBody()
        }
        try expectClosing(.kwEnd, "end", opener: opener, at: openLocation)
        if rescues.isEmpty && ensureBody == nil { return body }
        return Node(.begin(body: body, rescues: rescues, elseBody: elseBody, ensureBody: ensureBody), at: openLocation)
    }

    /// `rescue [Class, ...] [=> name] (then | newline) body`.
    mutating func parseRescueClause() throws -> RescueClause {
        advance()
        var classes: [Node] = []
        if kind != .newline && kind != .semicolon && kind != .kwThen && kind != .arrow {
            classes.append(try parseTernary())
            while kind == .comma {
                advance()
                classes.append(try parseTernary())
            }
        }
        var variable: String?
        if kind == .arrow {
            advance()
            guard kind == .identifier, Self.isLocalName(current.text) else {
                throw unexpected(expecting: "a local variable name after '=>'")
            }
            let name = advance().text
            locals.declare(name)
            variable = name
        }
        if kind == .kwThen {
            advance()
        } else if kind != .newline && kind != .semicolon {
            throw unexpected(expecting: "newline or 'then' after 'rescue' clause")
        }
        let body = try parseBody()
        return RescueClause(exceptionClasses: classes, variable: variable, body: body)
    }

    // MARK: - return / break / next

    /// Whether the current token can begin an operand (used for the optional values of `return`,
    /// `break`, `next`; modifier keywords like `if` are not operands there).
    var startsOperand: Bool {
        switch kind {
        case .integer, .stringLiteral, .stringBegin, .symbol, .identifier, .constant, .instanceVariable,
             .globalVariable, .kwNil, .kwTrue, .kwFalse, .kwSelf, .kwYield, .kwDef, .kwBegin, .kwNot,
             .leftBracket, .leftParen, .minus, .plus, .bang, .colonColon:
            return true
        default:
            return false
        }
    }

    mutating func parseJump() throws -> Node {
        let keyword = advance()
        var value: Node?
        if startsOperand {
            let first = try parseTernary()
            if kind == .comma {
                var values = [first]
                while kind == .comma {
                    advance()
                    values.append(try parseTernary())
                }
                value = Node(.array(values), at: first.location)
            } else {
                value = first
            }
        }
        switch keyword.kind {
        case .kwReturn: return Node(.return(value), at: keyword.location)
        case .kwBreak: return Node(.break(value), at: keyword.location)
        default: return Node(.next(value), at: keyword.location)
        }
    }
}
