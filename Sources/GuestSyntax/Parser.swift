/// Recursive-descent parser with precedence climbing for binary operators.
///
/// The grammar follows Ruby's, from loosest to tightest:
/// statement modifiers (`if`/`unless`/`while`/`until`/`rescue`) < `and`/`or` < `not` < assignment and
/// `?:` < `||` < `&&` < `== != <=>` < `< <= > >=` < `<<` < `+ -` < `* / %` < unary `-` < `!` < postfix.
/// The pieces live in extensions: statements and control flow, expressions, calls and blocks,
/// definitions.
struct Parser {
    let tokens: [Token]
    var position = 0
    let fileName: String
    var locals = LocalScopes()
    /// Current nesting (primaries, unary operators, ternary branches), bounded by `maximumDepth`.
    var depth = 0
    /// The nesting limit in force: the caller's limit, or the smaller stack budget of an inline parse.
    let maximumDepth: Int
    /// When set, nesting beyond it throws `NeedsLargerStack` so the parse restarts on a large stack.
    let stackBudget: Int?
    /// Whether a `do` may attach to the call being parsed. Off inside command arguments (so `do`
    /// binds to the outermost command) and in `while`/`until` conditions (where `do` belongs to the loop).
    var allowDoBlock = true
    /// Token position just after the `end` of the last `begin ... end`, to spot `begin ... end while c`.
    var lastBeginBlockEnd = -1

    init(tokens: [Token], fileName: String, maximumDepth: Int, stackBudget: Int? = nil) {
        self.tokens = tokens
        self.fileName = fileName
        self.stackBudget = stackBudget
        self.maximumDepth = min(maximumDepth, stackBudget ?? Int.max)
    }

    mutating func parseProgram() throws -> Node {
        let statements = try parseStatements()
        guard kind == .endOfInput else { throw unexpected() }
        return Node(.sequence(statements), at: SourceLocation(line: 1, column: 1))
    }

    // MARK: - Token access

    var current: Token { tokens[position] }
    var kind: TokenKind { tokens[position].kind }
    var location: SourceLocation { tokens[position].location }

    /// The token `offset` ahead (the final end-of-input token repeats forever).
    func peek(_ offset: Int = 1) -> Token {
        tokens[min(position + offset, tokens.count - 1)]
    }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    mutating func skipNewlines() {
        while kind == .newline { position += 1 }
    }

    mutating func skipTerminators() {
        while kind == .newline || kind == .semicolon { position += 1 }
    }

    // MARK: - Nesting

    mutating func enterNesting() throws {
        depth += 1
        if depth > maximumDepth { throw nestingError() }
    }

    @inline(never)
    func nestingError() -> any Error {
        if let stackBudget, depth > stackBudget { return NeedsLargerStack() }
        return error("nesting too deep (more than \(maximumDepth) levels)", at: location)
    }

    mutating func leaveNesting() {
        depth -= 1
    }

    /// One more link of a left-nested chain (`a + b + c`, `a.b.c`, `x if a if b`, elsif): the tree
    /// grows one level deeper without recursion, and later passes over the tree (the compiler,
    /// deallocation) recurse on it, so chains count against the same limit. The caller subtracts
    /// `links` from `depth` when the chain ends.
    mutating func enterChainLink(_ links: inout Int) throws {
        links += 1
        try enterNesting()
    }

    // MARK: - Errors

    func error(_ message: String, at location: SourceLocation) -> SyntaxError {
        SyntaxError(fileName: fileName, location: location, message: message)
    }

    /// "unexpected X" for the current token, with what was expected if known.
    func unexpected(expecting expected: String? = nil) -> SyntaxError {
        let token = current
        switch token.kind {
        case .kwUnsupported:
            return error("unsupported syntax: '\(token.text)'", at: token.location)
        case .unsupportedOperatorAssign:
            return error("unsupported syntax: operator assignment '\(token.text)' (only += and -=)", at: token.location)
        default:
            var message = "unexpected \(Self.describe(token))"
            if let expected { message += "; expected \(expected)" }
            return error(message, at: token.location)
        }
    }

    /// Consumes the token closing a construct, or reports which construct is left open.
    mutating func expectClosing(_ closing: TokenKind, _ spelling: String, opener: String, at openLocation: SourceLocation) throws {
        if kind == closing {
            advance()
            return
        }
        throw closingError(spelling, opener: opener, openedAt: openLocation, orComma: false)
    }

    // The error builders below are out of line so their string-interpolation temporaries stay out of
    // the recursive parsing functions' frames (debug builds keep every temporary on the stack).

    /// A construct left open: at end of input "unterminated ...", otherwise "unexpected X; expected ...".
    @inline(never)
    func closingError(_ spelling: String, opener: String, openedAt openLocation: SourceLocation, orComma: Bool) -> SyntaxError {
        if kind == .endOfInput {
            return error("unterminated '\(opener)' (opened at \(openLocation)): expected '\(spelling)' before end of input",
                         at: location)
        }
        let comma = orComma ? "',' or " : ""
        return unexpected(expecting: "\(comma)'\(spelling)' to close '\(opener)' at \(openLocation)")
    }

    /// "unexpected X; expected <what> after '<construct>'<suffix>".
    @inline(never)
    func unexpected(expecting what: String, after construct: String, _ suffix: String = "") -> SyntaxError {
        unexpected(expecting: "\(what) after '\(construct)'\(suffix)")
    }

    @inline(never)
    func constantNameError(_ construct: String) -> SyntaxError {
        error("\(construct) name must be a constant", at: location)
    }

    @inline(never)
    func duplicateParameterError(_ token: Token) -> SyntaxError {
        error("duplicated argument name '\(token.text)'", at: token.location)
    }

    @inline(never)
    func unterminatedError(_ what: String, openedAt openLocation: SourceLocation, expected spelling: String) -> SyntaxError {
        error("unterminated \(what) (opened at \(openLocation)): expected '\(spelling)' before end of input", at: location)
    }

    static func describe(_ token: Token) -> String {
        switch token.kind {
        case .endOfInput: return "end of input"
        case .newline: return "newline"
        case .integer: return "integer literal"
        case .identifier: return "identifier '\(token.text)'"
        case .constant: return "constant '\(token.text)'"
        case .instanceVariable: return "instance variable '@\(token.text)'"
        case .globalVariable: return "global variable '$\(token.text)'"
        case .symbol: return "symbol ':\(token.text)'"
        case .stringLiteral, .stringBegin: return "string literal"
        case .stringContent, .stringEnd: return "string content"
        case .interpolationBegin: return "'#{'"
        case .interpolationEnd: return "'}'"
        case .unaryOperatorName, .unsupportedOperatorAssign: return "'\(token.text)'"
        default:
            if token.kind.isKeyword { return "'\(token.text)'" }
            return "'\(operatorSpelling(token.kind) ?? "?")'"
        }
    }

    /// Spelling of punctuation and operator tokens (the method name for operators).
    static func operatorSpelling(_ kind: TokenKind) -> String? {
        switch kind {
        case .plus: return "+"
        case .minus: return "-"
        case .star: return "*"
        case .slash: return "/"
        case .percent: return "%"
        case .less: return "<"
        case .lessEqual: return "<="
        case .greater: return ">"
        case .greaterEqual: return ">="
        case .equalEqual: return "=="
        case .notEqual: return "!="
        case .compare: return "<=>"
        case .shiftLeft: return "<<"
        case .andAnd: return "&&"
        case .orOr: return "||"
        case .bang: return "!"
        case .assign: return "="
        case .plusAssign: return "+="
        case .minusAssign: return "-="
        case .question: return "?"
        case .colon: return ":"
        case .colonColon: return "::"
        case .dot: return "."
        case .comma: return ","
        case .arrow: return "=>"
        case .semicolon: return ";"
        case .leftParen: return "("
        case .rightParen: return ")"
        case .leftBracket: return "["
        case .rightBracket: return "]"
        case .leftBrace: return "{"
        case .rightBrace: return "}"
        case .pipe: return "|"
        default: return nil
        }
    }

    // MARK: - Helpers

    /// The value of a parenthesised or interpolated statement list: nil, the statement, or a sequence.
    static func valueOf(_ statements: [Node], at location: SourceLocation) -> Node {
        switch statements.count {
        case 0: return Node(.nil, at: location)
        case 1: return statements[0]
        default: return Node(.sequence(statements), at: statements[0].location)
        }
    }

    static func startsIdentifier(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    /// Names that can be locals: no `?`/`!` suffix.
    static func isLocalName(_ name: String) -> Bool {
        guard let last = name.utf8.last else { return false }
        return last != UInt8(ascii: "?") && last != UInt8(ascii: "!")
    }
}
