/// `def`, `class` and `module`.
extension Parser {
    /// `def name(a, b)`, `def name a, b`, `def self.name`, operator and setter methods.
    mutating func parseMethodDefinition() throws -> Node {
        let defToken = advance()
        var singleton: Node?
        if kind == .kwSelf && peek().kind == .dot {
            singleton = Node(.self, at: location)
            advance()
            advance()
        } else if kind == .constant && peek().kind == .dot {
            let receiver = advance()
            singleton = Node(.constant(scope: nil, name: receiver.text, topLevel: false), at: receiver.location)
            advance()
        }
        let name = try parseDefinedMethodName()
        locals.push(.method)
        defer { locals.pop() }
        var parameters: [String] = []
        if kind == .leftParen {
            let open = advance()
            skipNewlines()
            while kind != .rightParen {
                if kind == .endOfInput { throw unterminatedError("parameter list", openedAt: open.location, expected: ")") }
                try parseParameter(into: &parameters)
                skipNewlines()
                if kind == .comma {
                    advance()
                    skipNewlines()
                } else if kind == .endOfInput {
                    throw unterminatedError("parameter list", openedAt: open.location, expected: ")")
                } else if kind != .rightParen {
                    throw unexpected(expecting: "',' or ')' in parameter list")
                }
            }
            advance()
        } else if kind == .identifier {
            try parseParameter(into: &parameters)
            while kind == .comma {
                advance()
                try parseParameter(into: &parameters)
            }
        }
        let body: Node
        if kind == .assign {
            // Endless definition `def name(args) = expr`.
            if name.utf8.last == UInt8(ascii: "=") {
                throw error("setter method cannot be defined in an endless method definition", at: location)
            }
            advance()
            let bodyLocation = location
            body = Node(.sequence([try parseStatement()]), at: bodyLocation)
        } else {
            body = try parseBodyWithRescue(opener: "def", at: defToken.location)
        }
        return Node(.methodDefinition(name: name, parameters: parameters, body: body, singleton: singleton),
                    at: defToken.location)
    }

    private mutating func parseParameter(into parameters: inout [String]) throws {
        switch kind {
        case .identifier where Self.isLocalName(current.text):
            let token = advance()
            try declareParameter(token)
            parameters.append(token.text)
            if kind == .assign {
                throw error("unsupported syntax: default parameter values", at: location)
            }
        case .star, .andAnd, .shiftLeft:
            throw error("unsupported syntax: splat and block parameters", at: location)
        default:
            throw unexpected(expecting: "a parameter name")
        }
    }

    /// The name after `def`: identifiers (with `?`, `!` or a setter `=`), keywords, operators, `[]`, `[]=`.
    private mutating func parseDefinedMethodName() throws -> String {
        let token = current
        switch token.kind {
        case .identifier, .constant:
            advance()
            // `def name=(v)`: the `=` touches the name and the parameter list follows.
            if kind == .assign && !current.spaceBefore && Self.isLocalName(token.text)
                && (peek().kind == .leftParen || (peek().kind == .identifier && peek().spaceBefore)) {
                advance()
                return token.text + "="
            }
            return token.text
        case .unaryOperatorName:
            advance()
            return token.text
        case .leftBracket:
            advance()
            guard kind == .rightBracket && !current.spaceBefore else { throw unexpected(expecting: "']' in method name '[]'") }
            advance()
            if kind == .assign && !current.spaceBefore {
                advance()
                return "[]="
            }
            return "[]"
        default:
            if token.kind.isKeyword {
                advance()
                return token.text
            }
            if let spelling = Self.operatorSpelling(token.kind),
               Self.binaryPrecedence(token.kind) != nil || token.kind == .bang,
               token.kind != .andAnd, token.kind != .orOr {
                advance()
                return spelling
            }
            throw unexpected(expecting: "a method name after 'def'")
        }
    }

    /// `Name`, `Outer::Name`, `::Name` after `class`/`module`.
    private mutating func parseConstantPath(for construct: String) throws -> Node {
        var path: Node
        if kind == .colonColon {
            let colons = advance()
            guard kind == .constant else { throw constantNameError(construct) }
            path = Node(.constant(scope: nil, name: advance().text, topLevel: true), at: colons.location)
        } else {
            guard kind == .constant else {
                if kind == .shiftLeft { throw error("unsupported syntax: singleton class (class << obj)", at: location) }
                throw constantNameError(construct)
            }
            let name = advance()
            path = Node(.constant(scope: nil, name: name.text, topLevel: false), at: name.location)
        }
        while kind == .colonColon {
            advance()
            guard kind == .constant else { throw constantNameError(construct) }
            path = Node(.constant(scope: path, name: advance().text, topLevel: false), at: path.location)
        }
        return path
    }

    /// Ends the header line of `class`/`module`: a newline or `;` must follow.
    private mutating func expectHeaderEnd(_ construct: String) throws {
        guard kind == .newline || kind == .semicolon else {
            throw unexpected(expecting: "newline or ';'", after: construct, " header")
        }
    }

    mutating func parseClassDefinition() throws -> Node {
        let classToken = advance()
        let path = try parseConstantPath(for: "class")
        var superclass: Node?
        if kind == .less {
            advance()
            superclass = try parseTernary()
        }
        try expectHeaderEnd("class")
        locals.push(.classBody)
        defer { locals.pop() }
        let body = try parseBodyWithRescue(opener: "class", at: classToken.location)
        return Node(.classDefinition(path: path, superclass: superclass, body: body), at: classToken.location)
    }

    mutating func parseModuleDefinition() throws -> Node {
        let moduleToken = advance()
        let path = try parseConstantPath(for: "module")
        try expectHeaderEnd("module")
        locals.push(.classBody)
        defer { locals.pop() }
        let body = try parseBodyWithRescue(opener: "module", at: moduleToken.location)
        return Node(.moduleDefinition(path: path, body: body), at: moduleToken.location)
    }
}
