/// What a token is. Keywords get their own kinds so the parser can switch on them directly.
enum TokenKind: UInt8, Sendable {
    case endOfInput
    case newline
    case semicolon

    // Literals and names (payload in `Token.text` / `Token.integer`)
    case integer
    case identifier          // `foo`, `foo?`, `foo!`
    case constant            // `Foo`
    case instanceVariable    // `@foo` (text without `@`)
    case globalVariable      // `$foo` (text without `$`)
    case symbol              // `:foo` (text without `:`)
    case stringLiteral       // a whole string without interpolation ('...' or "...")
    case stringBegin         // `"` of a string that contains `#{`
    case stringContent       // literal text between interpolations
    case interpolationBegin  // `#{`
    case interpolationEnd    // the `}` closing `#{`
    case stringEnd           // closing `"`
    case unaryOperatorName   // `-@`, `+@`, `!@`: only after `def` or `.`

    // Operators
    case plus, minus, star, slash, percent
    case less, lessEqual, greater, greaterEqual, equalEqual, notEqual, compare
    case shiftLeft
    case andAnd, orOr, bang
    case assign, plusAssign, minusAssign
    case unsupportedOperatorAssign   // `*=`, `||=`, ...: text holds the operator
    case question, colon, colonColon, dot, comma, arrow
    case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace, pipe

    // Keywords
    case kwIf, kwUnless, kwWhile, kwUntil, kwElse, kwElsif, kwThen, kwEnd, kwDo
    case kwDef, kwClass, kwModule, kwBegin, kwRescue, kwEnsure
    case kwReturn, kwBreak, kwNext, kwYield, kwSelf, kwNil, kwTrue, kwFalse
    case kwAnd, kwOr, kwNot
    /// Ruby keywords outside the subset: parsed only to report them clearly.
    case kwUnsupported

    var isKeyword: Bool { rawValue >= TokenKind.kwIf.rawValue }
}

/// One token: kind, payload and position. `spaceBefore` drives Ruby's whitespace-sensitive rules
/// (`p -1` is a call with an argument, `a - 1` a subtraction).
struct Token: Sendable {
    var kind: TokenKind
    var spaceBefore: Bool
    var location: SourceLocation
    /// Identifier, constant, variable or symbol name; string content; keyword or operator spelling.
    var text: String = ""
    /// Magnitude of an integer literal (the parser applies a leading `-`, so `-2**63` fits).
    var integer: UInt64 = 0
}

extension TokenKind {
    /// Tokens after which a newline does not end the statement (the expression continues).
    var continuesOverNewline: Bool {
        switch self {
        case .plus, .minus, .star, .slash, .percent, .less, .lessEqual, .greater, .greaterEqual,
             .equalEqual, .notEqual, .compare, .shiftLeft, .andAnd, .orOr, .bang,
             .assign, .plusAssign, .minusAssign, .unsupportedOperatorAssign,
             .question, .colon, .colonColon, .dot, .comma, .arrow,
             .leftParen, .leftBracket, .leftBrace, .pipe, .interpolationBegin,
             .kwAnd, .kwOr, .kwNot, .kwIf, .kwUnless, .kwWhile, .kwUntil, .kwElsif,
             .newline, .semicolon:
            return true
        default:
            return false
        }
    }
}
