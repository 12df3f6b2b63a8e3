/// Hand-written lexer over the UTF-8 bytes of a source file.
///
/// It produces the whole token array up front. Strings with `#{}` become
/// `stringBegin (stringContent | interpolationBegin tokens... interpolationEnd)* stringEnd`; a stack of
/// open interpolations (heap, not recursion) finds the `}` that closes each one, so nesting is free of
/// stack-depth limits here. Newlines are emitted only where they can end a statement: after a token that
/// needs an operand (`+`, `,`, `(`, `and`, ...) the expression continues on the next line.
/// Columns are 1-based byte offsets within the line.
struct Lexer {
    private let bytes: [UInt8]     // source plus four 0 bytes, so lookahead never leaves the array
    private let count: Int         // source length without the sentinel
    private let fileName: String
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var spaceBefore = false
    private var tokens: [Token] = []
    /// Brace depth of the code region being lexed; a `}` at depth 0 closes the innermost `#{`.
    private var braceDepth = 0
    /// One entry per open `#{`: the enclosing region's brace depth and where its string started.
    private var openInterpolations: [(outerBraceDepth: Int, stringStart: SourceLocation)] = []
    private var buffer: [UInt8] = []

    init(source: String, fileName: String) {
        let utf8 = source.utf8
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + 4)
        bytes.append(contentsOf: utf8)
        count = bytes.count
        for _ in 0..<4 { bytes.append(0) }
        self.bytes = bytes
        self.fileName = fileName
        tokens.reserveCapacity(count / 3 + 4)
    }

    // MARK: - Driver

    mutating func tokenize() throws -> [Token] {
        skipByteOrderMark()
        if startsEmbeddedDocument() { try skipEmbeddedDocument() }
        if startsEndMarker() { index = count }
        while true {
            let c = bytes[index]
            switch c {
            case 0 where index >= count:
                if let open = openInterpolations.last {
                    throw error("unterminated string meets end of file (string started at \(open.stringStart))",
                                at: open.stringStart)
                }
                emit(.endOfInput, at: index)
                return tokens
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0B, 0x0C:
                index += 1
                spaceBefore = true
            case UInt8(ascii: "\\"):
                // Line continuation: backslash-newline joins two lines.
                if bytes[index + 1] == UInt8(ascii: "\n") {
                    index += 2
                    startLine()
                } else if bytes[index + 1] == UInt8(ascii: "\r") && bytes[index + 2] == UInt8(ascii: "\n") {
                    index += 3
                    startLine()
                } else {
                    throw error("unexpected backslash", at: location(of: index))
                }
                spaceBefore = true
            case UInt8(ascii: "\n"):
                let newlineOffset = index
                index += 1
                let previous = tokens.last?.kind ?? .newline
                if !previous.continuesOverNewline { emit(.newline, at: newlineOffset) }
                startLine()
                spaceBefore = true
                if startsEmbeddedDocument() { try skipEmbeddedDocument() }
                if startsEndMarker() { index = count }
            case UInt8(ascii: "#"):
                while bytes[index] != UInt8(ascii: "\n") && index < count { index += 1 }
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                try lexNumber()
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "_"), 0x80...0xFF:
                lexIdentifier(kind: .identifier)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                lexIdentifier(kind: .constant)
            case UInt8(ascii: "@"):
                try lexInstanceVariable()
            case UInt8(ascii: "$"):
                try lexGlobalVariable()
            case UInt8(ascii: "\""):
                let start = index
                index += 1
                try lexDoubleQuotedContent(stringStart: location(of: start), resumed: false)
            case UInt8(ascii: "'"):
                try lexSingleQuoted()
            case UInt8(ascii: ":"):
                try lexColon()
            case UInt8(ascii: "{"):
                braceDepth += 1
                punctuation(.leftBrace, length: 1)
            case UInt8(ascii: "}"):
                if braceDepth == 0, let open = openInterpolations.popLast() {
                    punctuation(.interpolationEnd, length: 1)
                    braceDepth = open.outerBraceDepth
                    try lexDoubleQuotedContent(stringStart: open.stringStart, resumed: true)
                } else {
                    if braceDepth > 0 { braceDepth -= 1 }
                    punctuation(.rightBrace, length: 1)
                }
            default:
                try lexOperator(c)
            }
        }
    }

    // MARK: - Positions and emission

    private func location(of offset: Int) -> SourceLocation {
        SourceLocation(line: line, column: offset - lineStart + 1)
    }

    private func error(_ message: String, at location: SourceLocation) -> SyntaxError {
        SyntaxError(fileName: fileName, location: location, message: message)
    }

    private mutating func startLine() {
        line += 1
        lineStart = index
    }

    private mutating func emit(_ kind: TokenKind, at offset: Int, text: String = "", integer: UInt64 = 0) {
        tokens.append(Token(kind: kind, spaceBefore: spaceBefore, location: location(of: offset),
                            text: text, integer: integer))
        spaceBefore = false
    }

    private mutating func punctuation(_ kind: TokenKind, length: Int) {
        emit(kind, at: index)
        index += length
    }

    private func text(from start: Int, to end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private static func isIdentifierByte(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), 0x80...0xFF:
            return true
        default:
            return false
        }
    }

    private static func isIdentifierStart(_ c: UInt8) -> Bool {
        isIdentifierByte(c) && !(c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
    }

    /// Whether `word` appears at `offset` followed by whitespace or the end of the line/file.
    private func matchesLineWord(_ word: StaticString, at offset: Int) -> Bool {
        let length = word.utf8CodeUnitCount
        guard offset + length <= count else { return false }
        let matches = word.withUTF8Buffer { w in
            for i in 0..<length where bytes[offset + i] != w[i] { return false }
            return true
        }
        guard matches else { return false }
        let after = bytes[offset + length]
        return offset + length >= count || after == UInt8(ascii: "\n") || after == UInt8(ascii: " ")
            || after == UInt8(ascii: "\t") || after == UInt8(ascii: "\r")
    }

    // MARK: - Comments and markers

    private mutating func skipByteOrderMark() {
        if count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            index = 3
            lineStart = 3
        }
    }

    private func startsEmbeddedDocument() -> Bool {
        index == lineStart && matchesLineWord("=begin", at: index)
    }

    private func startsEndMarker() -> Bool {
        index == lineStart && matchesLineWord("__END__", at: index)
            && (index + 7 >= count || bytes[index + 7] == UInt8(ascii: "\n") || bytes[index + 7] == UInt8(ascii: "\r"))
    }

    /// Skips `=begin ... =end` (both at the start of a line), leaving `index` at the newline ending `=end`'s line.
    private mutating func skipEmbeddedDocument() throws {
        let start = location(of: index)
        while true {
            while index < count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
            if index >= count {
                throw error("embedded document meets end of file (=begin at \(start))", at: start)
            }
            index += 1
            startLine()
            if matchesLineWord("=end", at: index) {
                while index < count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
                return
            }
        }
    }

    // MARK: - Numbers

    private mutating func lexNumber() throws {
        let start = index
        var radix: UInt64 = 10
        if bytes[index] == UInt8(ascii: "0") {
            switch bytes[index + 1] {
            case UInt8(ascii: "x"), UInt8(ascii: "X"): radix = 16; index += 2
            case UInt8(ascii: "b"), UInt8(ascii: "B"): radix = 2; index += 2
            case UInt8(ascii: "o"), UInt8(ascii: "O"): radix = 8; index += 2
            case UInt8(ascii: "d"), UInt8(ascii: "D"): radix = 10; index += 2
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"): radix = 8; index += 1
            default: break
            }
        }
        let digitsStart = index
        var value: UInt64 = 0
        var overflow = false
        var previousWasUnderscore = false
        var digitCount = 0
        while true {
            let c = bytes[index]
            if c == UInt8(ascii: "_") {
                if previousWasUnderscore || index == digitsStart {
                    throw error("trailing '_' in number", at: location(of: index))
                }
                previousWasUnderscore = true
                index += 1
                continue
            }
            guard let digit = Self.digitValue(c), digit < 16 else { break }
            if digit >= radix {
                if radix == 8 && digit < 10 { throw error("invalid octal digit", at: location(of: index)) }
                break
            }
            let (shifted, o1) = value.multipliedReportingOverflow(by: radix)
            let (sum, o2) = shifted.addingReportingOverflow(digit)
            overflow = overflow || o1 || o2
            value = sum
            previousWasUnderscore = false
            digitCount += 1
            index += 1
        }
        if previousWasUnderscore { throw error("trailing '_' in number", at: location(of: index - 1)) }
        if digitCount == 0 && radix != 8 {
            throw error("numeric literal without digits", at: location(of: start))
        }
        let next = bytes[index]
        if next == UInt8(ascii: ".") && Self.digitValue(bytes[index + 1]).map({ $0 < 10 }) == true {
            throw error("floating-point literals are not supported", at: location(of: start))
        }
        if Self.isIdentifierByte(next) {
            if radix == 10 && (next == UInt8(ascii: "e") || next == UInt8(ascii: "E")) {
                throw error("floating-point literals are not supported", at: location(of: start))
            }
            throw error("invalid character '\(Self.describe(next))' in number", at: location(of: index))
        }
        if overflow { throw error("integer literal out of range", at: location(of: start)) }
        emit(.integer, at: start, integer: value)
    }

    private static func digitValue(_ c: UInt8) -> UInt64? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt64(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt64(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt64(c - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    // MARK: - Names

    /// Identifiers may end in `?` or `!` unless that is the start of `!=`/`?=` (Ruby's rule: `a!=b` is `a != b`).
    private mutating func scanNameSuffix() {
        let c = bytes[index]
        guard c == UInt8(ascii: "?") || c == UInt8(ascii: "!") else { return }
        let after = bytes[index + 1]
        if after != UInt8(ascii: "=") || bytes[index + 2] == UInt8(ascii: "=") || bytes[index + 2] == UInt8(ascii: "~")
            || bytes[index + 2] == UInt8(ascii: ">") {
            index += 1
        }
    }

    private mutating func lexIdentifier(kind: TokenKind) {
        let start = index
        index += 1
        while Self.isIdentifierByte(bytes[index]) { index += 1 }
        scanNameSuffix()
        var tokenKind = kind
        // After `.`, keywords are plain method names (`x.class`); after `def` the parser accepts them.
        if index - start <= 8, tokens.last?.kind != .dot, let keyword = keyword(from: start, to: index) {
            tokenKind = keyword
        }
        emit(tokenKind, at: start, text: text(from: start, to: index))
    }

    /// The keywords and their token kinds: what ``keyword(packed:)`` matches (tests check the two agree).
    static let keywords: [(String, TokenKind)] = [
        ("end", .kwEnd), ("if", .kwIf), ("def", .kwDef), ("do", .kwDo), ("self", .kwSelf), ("nil", .kwNil),
        ("true", .kwTrue), ("false", .kwFalse), ("else", .kwElse), ("elsif", .kwElsif), ("unless", .kwUnless),
        ("while", .kwWhile), ("until", .kwUntil), ("then", .kwThen), ("class", .kwClass), ("module", .kwModule),
        ("begin", .kwBegin), ("rescue", .kwRescue), ("ensure", .kwEnsure), ("return", .kwReturn),
        ("break", .kwBreak), ("next", .kwNext), ("yield", .kwYield), ("and", .kwAnd), ("or", .kwOr),
        ("not", .kwNot),
        ("super", .kwUnsupported), ("case", .kwUnsupported), ("when", .kwUnsupported), ("for", .kwUnsupported),
        ("in", .kwUnsupported), ("redo", .kwUnsupported), ("retry", .kwUnsupported), ("alias", .kwUnsupported),
        ("undef", .kwUnsupported), ("defined?", .kwUnsupported), ("BEGIN", .kwUnsupported),
        ("END", .kwUnsupported), ("__FILE__", .kwUnsupported), ("__LINE__", .kwUnsupported),
    ]

    /// A name of at most 8 bytes packed little-endian into a UInt64 (byte i in bits 8i..<8i+8).
    static func pack(_ name: String) -> UInt64 {
        var packed: UInt64 = 0
        for (i, byte) in name.utf8.enumerated() { packed |= UInt64(byte) << (8 * UInt64(i)) }
        return packed
    }

    /// The keyword a packed name is, if any: a switch over constants (no table built at start, no scan).
    static func keyword(packed: UInt64) -> TokenKind? {
        switch packed {
        case 0x646e65: .kwEnd  // end
        case 0x6669: .kwIf  // if
        case 0x666564: .kwDef  // def
        case 0x6f64: .kwDo  // do
        case 0x666c6573: .kwSelf  // self
        case 0x6c696e: .kwNil  // nil
        case 0x65757274: .kwTrue  // true
        case 0x65736c6166: .kwFalse  // false
        case 0x65736c65: .kwElse  // else
        case 0x6669736c65: .kwElsif  // elsif
        case 0x7373656c6e75: .kwUnless  // unless
        case 0x656c696877: .kwWhile  // while
        case 0x6c69746e75: .kwUntil  // until
        case 0x6e656874: .kwThen  // then
        case 0x7373616c63: .kwClass  // class
        case 0x656c75646f6d: .kwModule  // module
        case 0x6e69676562: .kwBegin  // begin
        case 0x657563736572: .kwRescue  // rescue
        case 0x657275736e65: .kwEnsure  // ensure
        case 0x6e7275746572: .kwReturn  // return
        case 0x6b61657262: .kwBreak  // break
        case 0x7478656e: .kwNext  // next
        case 0x646c656979: .kwYield  // yield
        case 0x646e61: .kwAnd  // and
        case 0x726f: .kwOr  // or
        case 0x746f6e: .kwNot  // not
        case 0x7265707573: .kwUnsupported  // super
        case 0x65736163: .kwUnsupported  // case
        case 0x6e656877: .kwUnsupported  // when
        case 0x726f66: .kwUnsupported  // for
        case 0x6e69: .kwUnsupported  // in
        case 0x6f646572: .kwUnsupported  // redo
        case 0x7972746572: .kwUnsupported  // retry
        case 0x7361696c61: .kwUnsupported  // alias
        case 0x6665646e75: .kwUnsupported  // undef
        case 0x3f64656e69666564: .kwUnsupported  // defined?
        case 0x4e49474542: .kwUnsupported  // BEGIN
        case 0x444e45: .kwUnsupported  // END
        case 0x5f5f454c49465f5f: .kwUnsupported  // __FILE__
        case 0x5f5f454e494c5f5f: .kwUnsupported  // __LINE__
        default: nil
        }
    }

    private func keyword(from start: Int, to end: Int) -> TokenKind? {
        var packed: UInt64 = 0
        for i in start..<end { packed |= UInt64(bytes[i]) << (8 * UInt64(i - start)) }
        return Self.keyword(packed: packed)
    }

    private mutating func lexInstanceVariable() throws {
        let start = index
        if bytes[index + 1] == UInt8(ascii: "@") {
            throw error("class variables (@@) are not supported", at: location(of: start))
        }
        index += 1
        guard Self.isIdentifierStart(bytes[index]) else {
            throw error("'@' must be followed by an instance variable name", at: location(of: start))
        }
        while Self.isIdentifierByte(bytes[index]) { index += 1 }
        emit(.instanceVariable, at: start, text: text(from: start + 1, to: index))
    }

    private mutating func lexGlobalVariable() throws {
        let start = index
        index += 1
        let c = bytes[index]
        if Self.isIdentifierStart(c) {
            while Self.isIdentifierByte(bytes[index]) { index += 1 }
        } else if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
            while bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9") { index += 1 }
        } else if c != 0, "!@;,/\\~&`'+*$?:<>.\"".utf8.contains(c) {
            index += 1
        } else {
            throw error("'$' must be followed by a global variable name", at: location(of: start))
        }
        emit(.globalVariable, at: start, text: text(from: start + 1, to: index))
    }

    // MARK: - Symbols and colons

    /// Tokens after which `:` is the ternary's colon even when a name follows (`c ? 1 :x`).
    private static func endsValue(_ kind: TokenKind?) -> Bool {
        switch kind {
        case .integer, .stringLiteral, .stringEnd, .symbol, .rightParen, .rightBracket, .rightBrace,
             .kwEnd, .kwSelf, .kwNil, .kwTrue, .kwFalse, .constant, .instanceVariable, .globalVariable:
            return true
        default:
            return false
        }
    }

    private mutating func lexColon() throws {
        let start = index
        if bytes[index + 1] == UInt8(ascii: ":") {
            punctuation(.colonColon, length: 2)
            return
        }
        let c = bytes[index + 1]
        if Self.endsValue(tokens.last?.kind) || c == UInt8(ascii: " ") || c == UInt8(ascii: "\n") || index + 1 >= count {
            punctuation(.colon, length: 1)
            return
        }
        if Self.isIdentifierStart(c) {
            index += 1
            while Self.isIdentifierByte(bytes[index]) { index += 1 }
            scanNameSuffix()
            // `:name=` is a setter's symbol, but `:a==b` / `:a=>b` are not.
            if bytes[index] == UInt8(ascii: "="), bytes[index - 1] != UInt8(ascii: "?"), bytes[index - 1] != UInt8(ascii: "!") {
                let after = bytes[index + 1]
                if after != UInt8(ascii: "=") && after != UInt8(ascii: "~") && after != UInt8(ascii: ">") { index += 1 }
            }
            emit(.symbol, at: start, text: text(from: start + 1, to: index))
            return
        }
        if c == UInt8(ascii: "@") || c == UInt8(ascii: "$") {
            index += 1
            let sigil = index
            index += 1
            if c == UInt8(ascii: "@") && bytes[index] == UInt8(ascii: "@") { index += 1 }
            guard Self.isIdentifierStart(bytes[index]) else {
                throw error("invalid symbol", at: location(of: start))
            }
            while Self.isIdentifierByte(bytes[index]) { index += 1 }
            emit(.symbol, at: start, text: text(from: sigil, to: index))
            return
        }
        if c == UInt8(ascii: "\"") {
            index += 2
            let stringStart = location(of: start)
            guard try scanDoubleQuoted(stringStart: stringStart) else {
                throw error("interpolated symbols are not supported", at: stringStart)
            }
            emit(.symbol, at: start, text: String(decoding: buffer, as: UTF8.self))
            return
        }
        // Operator symbols, longest first.
        let operators: [StaticString] = ["[]=", "<=>", "[]", "==", "!=", "<=", ">=", "<<", "+@", "-@", "!@",
                                         "<", ">", "+", "-", "*", "/", "%", "!"]
        for op in operators where matches(op, at: index + 1) {
            let length = op.utf8CodeUnitCount
            index += 1 + length
            emit(.symbol, at: start, text: text(from: start + 1, to: index))
            return
        }
        punctuation(.colon, length: 1)
    }

    private func matches(_ word: StaticString, at offset: Int) -> Bool {
        let length = word.utf8CodeUnitCount
        guard offset + length <= count else { return false }
        return word.withUTF8Buffer { w in
            for i in 0..<length where bytes[offset + i] != w[i] { return false }
            return true
        }
    }

    // MARK: - Strings

    /// Lexes double-quoted string content from `index` up to the closing quote or the next `#{`.
    /// `resumed` says the string already emitted `stringBegin` (we are continuing after an interpolation).
    /// `#@ivar` and `#$global` interpolate just that variable and the scan goes on.
    private mutating func lexDoubleQuotedContent(stringStart: SourceLocation, resumed: Bool) throws {
        var resumed = resumed
        while true {
            let contentLocation = location(of: index)
            let closed = try scanDoubleQuoted(stringStart: stringStart)
            let text = String(decoding: buffer, as: UTF8.self)
            if closed {
                if resumed {
                    if !text.isEmpty { tokens.append(Token(kind: .stringContent, spaceBefore: false, location: contentLocation, text: text)) }
                    spaceBefore = false
                    emit(.stringEnd, at: index - 1)
                } else {
                    tokens.append(Token(kind: .stringLiteral, spaceBefore: spaceBefore, location: stringStart, text: text))
                    spaceBefore = false
                }
                return
            }
            // Stopped at `#{`, `#@` or `#$`: `index` points at `#`.
            if !resumed {
                tokens.append(Token(kind: .stringBegin, spaceBefore: spaceBefore, location: stringStart))
                resumed = true
            }
            spaceBefore = false
            if !text.isEmpty { tokens.append(Token(kind: .stringContent, spaceBefore: false, location: contentLocation, text: text)) }
            if bytes[index + 1] == UInt8(ascii: "{") {
                punctuation(.interpolationBegin, length: 2)
                openInterpolations.append((outerBraceDepth: braceDepth, stringStart: stringStart))
                braceDepth = 0
                return
            }
            emit(.interpolationBegin, at: index)
            index += 1
            if bytes[index] == UInt8(ascii: "@") { try lexInstanceVariable() } else { try lexGlobalVariable() }
            emit(.interpolationEnd, at: index)
        }
    }

    /// Scans double-quoted content into `buffer`, resolving escapes. Stops after the closing `"`
    /// (returns true) or at an interpolation `#{`, `#@name`, `#$name` (returns false, `index` at the `#`).
    private mutating func scanDoubleQuoted(stringStart: SourceLocation) throws -> Bool {
        buffer.removeAll(keepingCapacity: true)
        while true {
            let c = bytes[index]
            switch c {
            case 0 where index >= count:
                throw error("unterminated string meets end of file (string started at \(stringStart))", at: stringStart)
            case UInt8(ascii: "\""):
                index += 1
                return true
            case UInt8(ascii: "#") where startsInterpolation():
                return false
            case UInt8(ascii: "\\"):
                try scanEscape(stringStart: stringStart)
            case UInt8(ascii: "\n"):
                buffer.append(c)
                index += 1
                startLine()
            default:
                buffer.append(c)
                index += 1
            }
        }
    }

    /// Whether the `#` at `index` starts `#{`, `#@ivar` (or `#@@cvar`) or `#$global`, as in Ruby.
    private func startsInterpolation() -> Bool {
        switch bytes[index + 1] {
        case UInt8(ascii: "{"):
            return true
        case UInt8(ascii: "@"):
            return Self.isIdentifierStart(bytes[index + 2])
                || (bytes[index + 2] == UInt8(ascii: "@") && Self.isIdentifierStart(bytes[index + 3]))
        case UInt8(ascii: "$"):
            return Self.isIdentifierStart(bytes[index + 2])
        default:
            return false
        }
    }

    private mutating func scanEscape(stringStart: SourceLocation) throws {
        let escapeStart = index
        if index + 1 >= count {
            throw error("unterminated string meets end of file (string started at \(stringStart))", at: stringStart)
        }
        let c = bytes[index + 1]
        index += 2
        switch c {
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "s"): buffer.append(0x20)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "e"): buffer.append(0x1B)
        case UInt8(ascii: "a"): buffer.append(0x07)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "v"): buffer.append(0x0B)
        case UInt8(ascii: "\n"):
            startLine()   // backslash-newline inside a string joins the lines
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            var value = UInt32(c - UInt8(ascii: "0"))
            var digits = 1
            while digits < 3, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "7") {
                value = value * 8 + UInt32(bytes[index] - UInt8(ascii: "0"))
                index += 1
                digits += 1
            }
            buffer.append(UInt8(truncatingIfNeeded: value))
        case UInt8(ascii: "x"):
            var value: UInt64 = 0
            var digits = 0
            while digits < 2, let d = Self.digitValue(bytes[index]) {
                value = value * 16 + d
                index += 1
                digits += 1
            }
            if digits == 0 { throw error("invalid hex escape", at: location(of: escapeStart)) }
            buffer.append(UInt8(value))
        case UInt8(ascii: "u"):
            try scanUnicodeEscape(escapeStart: escapeStart)
        case UInt8(ascii: "M"), UInt8(ascii: "C"), UInt8(ascii: "c"):
            throw error("meta and control escapes are not supported", at: location(of: escapeStart))
        default:
            // `\\`, `\"`, `\#`, `\'` and any other character stand for themselves (Ruby's rule).
            buffer.append(c)
        }
    }

    private mutating func scanUnicodeEscape(escapeStart: Int) throws {
        func invalid(_ lexer: Lexer) -> SyntaxError {
            lexer.error("invalid Unicode escape", at: lexer.location(of: escapeStart))
        }
        if bytes[index] == UInt8(ascii: "{") {
            index += 1
            var any = false
            while true {
                while bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
                if bytes[index] == UInt8(ascii: "}") { index += 1; break }
                var value: UInt64 = 0
                var digits = 0
                while let d = Self.digitValue(bytes[index]), d < 16 {
                    value = value * 16 + d
                    index += 1
                    digits += 1
                    if digits > 6 { throw invalid(self) }
                }
                if digits == 0 { throw invalid(self) }
                try appendScalar(value, escapeStart: escapeStart)
                any = true
            }
            if !any { throw invalid(self) }
        } else {
            var value: UInt64 = 0
            for _ in 0..<4 {
                guard let d = Self.digitValue(bytes[index]) else { throw invalid(self) }
                value = value * 16 + d
                index += 1
            }
            try appendScalar(value, escapeStart: escapeStart)
        }
    }

    private mutating func appendScalar(_ value: UInt64, escapeStart: Int) throws {
        guard value <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(value)) else {
            throw error("invalid Unicode escape", at: location(of: escapeStart))
        }
        buffer.append(contentsOf: String(Character(scalar)).utf8)
    }

    private mutating func lexSingleQuoted() throws {
        let start = index
        let stringStart = location(of: start)
        index += 1
        buffer.removeAll(keepingCapacity: true)
        while true {
            let c = bytes[index]
            if c == 0 && index >= count {
                throw error("unterminated string meets end of file (string started at \(stringStart))", at: stringStart)
            }
            index += 1
            if c == UInt8(ascii: "'") { break }
            if c == UInt8(ascii: "\\") && (bytes[index] == UInt8(ascii: "'") || bytes[index] == UInt8(ascii: "\\")) {
                buffer.append(bytes[index])
                index += 1
                continue
            }
            buffer.append(c)
            if c == UInt8(ascii: "\n") { startLine() }
        }
        tokens.append(Token(kind: .stringLiteral, spaceBefore: spaceBefore, location: stringStart,
                            text: String(decoding: buffer, as: UTF8.self)))
        spaceBefore = false
    }

    // MARK: - Operators

    private mutating func lexOperator(_ c: UInt8) throws {
        let next = bytes[index + 1]
        let afterNext = bytes[index + 2]
        let previous = tokens.last?.kind
        let namesMethod = previous == .kwDef || previous == .dot
        let eq = UInt8(ascii: "=")
        switch c {
        case UInt8(ascii: "+"):
            if next == eq { punctuation(.plusAssign, length: 2) }
            else if next == UInt8(ascii: "@") && namesMethod { operatorName("+@") }
            else { punctuation(.plus, length: 1) }
        case UInt8(ascii: "-"):
            if next == eq { punctuation(.minusAssign, length: 2) }
            else if next == UInt8(ascii: "@") && namesMethod { operatorName("-@") }
            else if next == UInt8(ascii: ">") { throw unsupported("lambda literals (->)") }
            else { punctuation(.minus, length: 1) }
        case UInt8(ascii: "*"):
            if next == UInt8(ascii: "*") { throw unsupported("the '**' operator") }
            if next == eq { unsupportedAssign(length: 2) } else { punctuation(.star, length: 1) }
        case UInt8(ascii: "/"):
            if next == eq { unsupportedAssign(length: 2) } else { punctuation(.slash, length: 1) }
        case UInt8(ascii: "%"):
            if "wWiIqQ".utf8.contains(next) && "[({<".utf8.contains(afterNext) { throw unsupported("percent literals") }
            if next == eq { unsupportedAssign(length: 2) } else { punctuation(.percent, length: 1) }
        case UInt8(ascii: "<"):
            if next == eq && afterNext == UInt8(ascii: ">") { punctuation(.compare, length: 3) }
            else if next == eq { punctuation(.lessEqual, length: 2) }
            else if next == UInt8(ascii: "<") && afterNext == eq { unsupportedAssign(length: 3) }
            else if next == UInt8(ascii: "<") && startsHeredoc(afterNext) { throw unsupported("heredocs") }
            else if next == UInt8(ascii: "<") { punctuation(.shiftLeft, length: 2) }
            else { punctuation(.less, length: 1) }
        case UInt8(ascii: ">"):
            if next == eq { punctuation(.greaterEqual, length: 2) }
            else if next == UInt8(ascii: ">") { throw unsupported("the '>>' operator") }
            else { punctuation(.greater, length: 1) }
        case UInt8(ascii: "="):
            if next == eq && afterNext == eq { throw unsupported("the '===' operator") }
            else if next == eq { punctuation(.equalEqual, length: 2) }
            else if next == UInt8(ascii: "~") { throw unsupported("regular expressions (=~)") }
            else if next == UInt8(ascii: ">") { punctuation(.arrow, length: 2) }
            else { punctuation(.assign, length: 1) }
        case UInt8(ascii: "!"):
            if next == eq { punctuation(.notEqual, length: 2) }
            else if next == UInt8(ascii: "~") { throw unsupported("regular expressions (!~)") }
            else if next == UInt8(ascii: "@") && namesMethod { operatorName("!@") }
            else { punctuation(.bang, length: 1) }
        case UInt8(ascii: "&"):
            if next == UInt8(ascii: "&") && afterNext == eq { unsupportedAssign(length: 3) }
            else if next == UInt8(ascii: "&") { punctuation(.andAnd, length: 2) }
            else if next == UInt8(ascii: ".") { throw unsupported("safe navigation (&.)") }
            else { throw unsupported("the '&' operator and block arguments") }
        case UInt8(ascii: "|"):
            if next == UInt8(ascii: "|") && afterNext == eq { unsupportedAssign(length: 3) }
            else if next == UInt8(ascii: "|") { punctuation(.orOr, length: 2) }
            else { punctuation(.pipe, length: 1) }
        case UInt8(ascii: "?"): punctuation(.question, length: 1)
        case UInt8(ascii: "."):
            if next == UInt8(ascii: ".") { throw unsupported("ranges (..)") }
            punctuation(.dot, length: 1)
        case UInt8(ascii: ","): punctuation(.comma, length: 1)
        case UInt8(ascii: ";"): punctuation(.semicolon, length: 1)
        case UInt8(ascii: "("): punctuation(.leftParen, length: 1)
        case UInt8(ascii: ")"): punctuation(.rightParen, length: 1)
        case UInt8(ascii: "["): punctuation(.leftBracket, length: 1)
        case UInt8(ascii: "]"): punctuation(.rightBracket, length: 1)
        case UInt8(ascii: "^"): throw unsupported("the '^' operator")
        case UInt8(ascii: "~"): throw unsupported("the '~' operator")
        case UInt8(ascii: "`"): throw unsupported("backtick commands")
        default:
            throw error("unexpected character '\(Self.describe(c))'", at: location(of: index))
        }
    }

    /// `<<~X`, `<<-X`, `<<X`, `<<"X"` after a space (`a <<b` without a space after `<<` reads as a
    /// heredoc in Ruby too).
    private func startsHeredoc(_ afterShift: UInt8) -> Bool {
        guard spaceBefore else { return false }
        var c = afterShift
        if c == UInt8(ascii: "~") || c == UInt8(ascii: "-") { c = bytes[index + 3] }
        return (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || c == UInt8(ascii: "'") || c == UInt8(ascii: "\"")
    }

    private mutating func operatorName(_ name: String) {
        emit(.unaryOperatorName, at: index, text: name)
        index += 2
    }

    private mutating func unsupportedAssign(length: Int) {
        emit(.unsupportedOperatorAssign, at: index, text: text(from: index, to: index + length))
        index += length
    }

    private func unsupported(_ what: String) -> SyntaxError {
        error("unsupported syntax: \(what)", at: location(of: index))
    }

    static func describe(_ c: UInt8) -> String {
        if c >= 0x21 && c < 0x7F { return String(UnicodeScalar(c)) }
        let hex = String(c, radix: 16, uppercase: true)
        return "\\x" + (hex.count == 1 ? "0" + hex : hex)
    }
}
