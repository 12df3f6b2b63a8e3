import Foundation
import Testing

/// One set of `jitstack run` flags every corpus program is run with.
///
/// The built-in list grows as the JIT lands (`--call-threshold 1`, `--page-size 4K --code-region 256K`).
/// `JITSTACK_CORPUS_CONFIGS` replaces it: configurations separated by `;`, flags by spaces, an empty
/// entry meaning no flags, e.g. `JITSTACK_CORPUS_CONFIGS=';--no-jit;--call-threshold 1'`.
struct RunConfiguration: Sendable, Hashable, CustomTestStringConvertible {
    let flags: [String]

    var testDescription: String { flags.isEmpty ? "default flags" : flags.joined(separator: " ") }

    static let builtIn: [RunConfiguration] = [
        RunConfiguration(flags: []),
        RunConfiguration(flags: ["--no-jit"]),
        RunConfiguration(flags: ["--call-threshold", "1"]),
        RunConfiguration(flags: ["--call-threshold", "1", "--page-size", "4K", "--code-region", "256K"]),
    ]

    /// Parses the `JITSTACK_CORPUS_CONFIGS` syntax.
    static func parse(_ text: String) -> [RunConfiguration] {
        text.split(separator: ";", omittingEmptySubsequences: false).map { entry in
            RunConfiguration(flags: entry.split(separator: " ", omittingEmptySubsequences: true).map(String.init))
        }
    }

    /// The configurations of this run: the environment's list when set, else the built-in one.
    static var active: [RunConfiguration] {
        guard let text = ProcessInfo.processInfo.environment["JITSTACK_CORPUS_CONFIGS"] else { return builtIn }
        return parse(text)
    }
}
