import TestSupport
import Foundation

/// Makes hostile inputs for the CLI: random bytes, and corpus programs with random edits (bytes
/// flipped, lines dropped or duplicated, tokens that unbalance the syntax inserted).
struct InputMutator {
    var rng: SplitMix64

    static let tokens = [
        "end", "do", "{", "}", "(", ")", "[", "]", "\"", "'", "#{", "|", "def ", "class ", "begin", "rescue",
        "ensure", "yield", "::", "@", "$", ":", ",", ".", "=", "==", "<<", "\\", "\n", "while ", "if ", "eval(",
        "remove_method(:", "9223372036854775808", "-", "*", "/ 0", "%", "?", "!", "&&", "||", "\0", "\u{FF}",
    ]

    mutating func randomBytes() -> Data {
        let count = rng.pick([0, 1, 3, 16, 200, 2000])
        var bytes = [UInt8](repeating: 0, count: count)
        let printable = rng.chance(50)
        for i in bytes.indices {
            bytes[i] = printable ? UInt8(rng.int(in: 9...126)) : UInt8(truncatingIfNeeded: rng.next())
        }
        return Data(bytes)
    }

    mutating func mutate(_ program: String) -> Data {
        var bytes = Array(program.utf8)
        for _ in 0..<rng.int(in: 1...6) {
            switch rng.below(6) {
            case 0 where !bytes.isEmpty:
                bytes[rng.below(bytes.count)] = UInt8(truncatingIfNeeded: rng.next())
            case 1 where !bytes.isEmpty:
                let start = rng.below(bytes.count)
                bytes.removeSubrange(start..<min(bytes.count, start + rng.int(in: 1...20)))
            case 2:
                bytes.insert(contentsOf: Array(rng.pick(Self.tokens).utf8), at: rng.below(bytes.count + 1))
            case 3:
                var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
                if !lines.isEmpty { lines.remove(at: rng.below(lines.count)) }
                bytes = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
            case 4:
                var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
                if !lines.isEmpty {
                    let line = lines[rng.below(lines.count)]
                    lines.insert(line, at: rng.below(lines.count + 1))
                }
                bytes = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
            default:
                // Deep nesting: a parser that recurses per level must stop with an error, not a crash.
                let opener = rng.pick(["(", "[", "begin\n", "if true\n", "[1, "])
                bytes.insert(contentsOf: Array(String(repeating: opener, count: rng.pick([50, 5000, 100_000])).utf8),
                             at: rng.below(bytes.count + 1))
            }
        }
        return Data(bytes)
    }
}
