/// Method calls (with and without parentheses), `yield`, and blocks.
///
/// Block binding follows Ruby: `{ }` attaches to the nearest call, `do ... end` to the outermost
/// command call (`puts [1].map do ... end` passes the block to `puts`).
extension Parser {
    /// Whether the current token starts the first argument of a call written without parentheses.
    ///
    /// Ruby's whitespace rules: `foo -1`, `foo [1]`, `foo (1)`, `foo !x` pass an argument, while
    /// `foo - 1`, `foo[1]` and `foo-1` operate on the call's result.
    var startsCommandArgument: Bool {
        let token = current
        switch token.kind {
        case .integer, .stringLiteral, .stringBegin, .symbol, .identifier, .constant, .instanceVariable,
             .globalVariable, .kwNil, .kwTrue, .kwFalse, .kwSelf, .kwYield, .kwDef:
            return true
        case .leftBracket, .leftParen:
            return token.spaceBefore
        case .minus, .plus, .bang, .colonColon:
            return token.spaceBefore && !peek().spaceBefore
        default:
            return false
        }
    }

    /// `name` after `.` or `::`: identifiers, constants, keywords (`x.class`) and operators (`x.+(1)`).
    mutating func parseMethodName(after separator: String) throws -> String {
        let token = current
        switch token.kind {
        case .identifier, .constant, .unaryOperatorName:
            advance()
            return token.text
        default:
            if token.kind.isKeyword {
                advance()
                return token.text
            }
            if let spelling = Self.operatorSpelling(token.kind), Self.binaryPrecedence(token.kind) != nil || token.kind == .bang,
               token.kind != .andAnd, token.kind != .orOr {
                advance()
                return spelling
            }
            throw unexpected(expecting: "a method name", after: separator)
        }
    }

    /// `receiver.name ...` after the dot: arguments, attribute assignment, blocks.
    mutating func parseMethodCall(receiver: Node) throws -> Node {
        let name = try parseMethodName(after: ".")
        if Self.isLocalName(name), let first = name.utf8.first, Self.startsIdentifier(first) {
            switch kind {
            case .assign:
                advance()
                let value = try parseAssignedValue()
                return Node(.attributeAssign(receiver: receiver, name: name + "=", arguments: [value]), at: receiver.location)
            case .plusAssign, .minusAssign:
                let target = Node(.call(receiver: receiver, name: name, arguments: [], block: nil, hasParentheses: false),
                                  at: receiver.location)
                return try parseOperatorAssign(target: target)
            default:
                break
            }
        }
        return try parseCallRest(receiver: receiver, name: name, at: receiver.location)
    }

    /// Arguments and block of a call whose name has been consumed: `(args)`, command arguments, or none.
    mutating func parseCallRest(receiver: Node?, name: String, at callLocation: SourceLocation) throws -> Node {
        var arguments: [Node] = []
        var hasParentheses = false
        var isCommand = false
        if kind == .leftParen && !current.spaceBefore {
            let open = advance()
            arguments = try parseArgumentList(closing: .rightParen, ")", opener: "(", at: open.location)
            hasParentheses = true
        } else if startsCommandArgument {
            arguments = try parseCommandArguments()
            isCommand = true
        } else if kind == .star && current.spaceBefore && !peek().spaceBefore {
            // `foo *args` is a splat in Ruby, not a multiplication: say so rather than misparse.
            throw error("unsupported syntax: splat arguments (*)", at: location)
        }
        var block: BlockLiteral?
        if kind == .leftBrace && !isCommand {
            block = try parseBraceBlock()
        } else if kind == .kwDo && allowDoBlock {
            block = try parseDoBlock()
        }
        return Node(.call(receiver: receiver, name: name, arguments: arguments, block: block, hasParentheses: hasParentheses),
                    at: callLocation)
    }

    /// `a, b, c` without parentheses. A `do` inside belongs to the enclosing command, not to an argument.
    mutating func parseCommandArguments() throws -> [Node] {
        let savedAllowDo = allowDoBlock
        allowDoBlock = false
        defer { allowDoBlock = savedAllowDo }
        var arguments = [try parseTernary()]
        while kind == .comma {
            advance()
            arguments.append(try parseTernary())
        }
        return arguments
    }

    /// Comma-separated expressions up to `closing` (newlines and a trailing comma allowed), consuming it.
    mutating func parseArgumentList(closing: TokenKind, _ spelling: String, opener: String, at openLocation: SourceLocation) throws -> [Node] {
        let savedAllowDo = allowDoBlock
        allowDoBlock = true
        defer { allowDoBlock = savedAllowDo }
        var items: [Node] = []
        skipNewlines()
        while kind != closing {
            if kind == .endOfInput { throw closingError(spelling, opener: opener, openedAt: openLocation, orComma: true) }
            items.append(try parseTernary())
            skipNewlines()
            if kind == .comma {
                advance()
                skipNewlines()
            } else if kind != closing {
                throw closingError(spelling, opener: opener, openedAt: openLocation, orComma: true)
            }
        }
        advance()
        return items
    }

    /// `yield`, `yield x, y`, `yield(x)`.
    mutating func parseYield() throws -> Node {
        let token = advance()
        // `yield` outside a method is Ruby's compile-time "Invalid yield": the compiler reports it
        // (like "Invalid break"), so the corpus can check the parser accepts it.
        var arguments: [Node] = []
        if kind == .leftParen && !current.spaceBefore {
            let open = advance()
            arguments = try parseArgumentList(closing: .rightParen, ")", opener: "(", at: open.location)
        } else if startsCommandArgument {
            arguments = try parseCommandArguments()
        }
        return Node(.yield(arguments), at: token.location)
    }

    // MARK: - Blocks

    /// `|a, b|` (or `||`) at the start of a block; declares the parameters in the block's scope.
    mutating func parseBlockParameters() throws -> [String] {
        if kind == .orOr {
            advance()
            return []
        }
        guard kind == .pipe else { return [] }
        let open = advance()
        var parameters: [String] = []
        while kind != .pipe {
            guard kind == .identifier, Self.isLocalName(current.text) else {
                if kind == .endOfInput {
                    throw unterminatedError("block parameters", openedAt: open.location, expected: "|")
                }
                throw unexpected(expecting: "a block parameter name")
            }
            try declareParameter(advance())
            parameters.append(tokens[position - 1].text)
            if kind == .comma {
                advance()
            } else if kind == .endOfInput {
                throw unterminatedError("block parameters", openedAt: open.location, expected: "|")
            } else if kind != .pipe {
                throw unexpected(expecting: "',' or '|' after block parameter")
            }
        }
        advance()
        return parameters
    }

    /// Declares a method or block parameter, rejecting duplicates as Ruby does.
    mutating func declareParameter(_ token: Token) throws {
        if locals.isDeclaredInInnermost(token.text) {
            throw duplicateParameterError(token)
        }
        locals.declareParameter(token.text)
    }

    mutating func parseBraceBlock() throws -> BlockLiteral {
        let open = advance()
        try enterNesting()
        defer { leaveNesting() }
        locals.push(.block)
        defer { locals.pop() }
        let parameters = try parseBlockParameters()
        let body = try parseBody()
        try expectClosing(.rightBrace, "}", opener: "{", at: open.location)
        return BlockLiteral(parameters: parameters, body: body, location: open.location)
    }

    mutating func parseDoBlock() throws -> BlockLiteral {
        let open = advance()
        try enterNesting()
        defer { leaveNesting() }
        locals.push(.block)
        defer { locals.pop() }
        skipNewlines()
        let parameters = try parseBlockParameters()
        let body = try parseBodyWithRescue(opener: "do", at: open.location)
        return BlockLiteral(parameters: parameters, body: body, location: open.location)
    }
}
