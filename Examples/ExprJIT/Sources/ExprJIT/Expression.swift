/// An arithmetic expression over one variable `x`, with `collect()` calling the code collector.
indirect enum Expression {
    case number(Int32)
    case variable
    case collect
    case binary(Character, Expression, Expression)

    /// The reference result (what compiled code must return); `collect()` counts as `collected`.
    func evaluate(x: Int, collected: Int) -> Int {
        switch self {
        case .number(let value): return Int(value)
        case .variable: return x
        case .collect: return collected
        case .binary(let op, let left, let right):
            let a = left.evaluate(x: x, collected: collected)
            let b = right.evaluate(x: x, collected: collected)
            switch op {
            case "+": return a &+ b
            case "-": return a &- b
            default: return a &* b
            }
        }
    }
}

/// Why a source text is not an expression.
struct ParseError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Recursive descent: sum := product (('+'|'-') product)*; product := atom ('*' atom)*;
/// atom := number | 'x' | 'collect()' | '(' sum ')'.
struct Parser {
    private let characters: [Character]
    private var position = 0

    static func parse(_ source: String) throws -> Expression {
        var parser = Parser(characters: Array(source.filter { !$0.isWhitespace }))
        let expression = try parser.sum()
        guard parser.position == parser.characters.count else {
            throw ParseError(message: "unexpected '\(parser.characters[parser.position])' in \(source)")
        }
        return expression
    }

    private init(characters: [Character]) { self.characters = characters }

    private var current: Character? { position < characters.count ? characters[position] : nil }

    private mutating func sum() throws -> Expression {
        var left = try product()
        while let op = current, op == "+" || op == "-" {
            position += 1
            left = .binary(op, left, try product())
        }
        return left
    }

    private mutating func product() throws -> Expression {
        var left = try atom()
        while current == "*" {
            position += 1
            left = .binary("*", left, try atom())
        }
        return left
    }

    private mutating func atom() throws -> Expression {
        guard let character = current else { throw ParseError(message: "unexpected end") }
        if character == "(" {
            position += 1
            let inner = try sum()
            guard current == ")" else { throw ParseError(message: "missing )") }
            position += 1
            return inner
        }
        if character == "x" {
            position += 1
            return .variable
        }
        let word = "collect()"
        if characters[position...].starts(with: word) {
            position += word.count
            return .collect
        }
        var digits = ""
        while let digit = current, digit.isNumber {
            digits.append(digit)
            position += 1
        }
        guard let value = Int32(digits) else { throw ParseError(message: "bad number near '\(character)'") }
        return .number(value)
    }
}
