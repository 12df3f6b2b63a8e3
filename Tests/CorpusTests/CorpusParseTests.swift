import Foundation
import GuestSyntax
import Testing

/// Checks the corpus against the parser alone, without running anything: every program parses, and
/// every syntax-error program fails where its `.err` says. Catches subset mismatches before the VM exists.
@Suite("Corpus programs under the parser")
struct CorpusParseTests {
    /// Syntax-error programs are named `syntax_*.rb` (see Tests/Corpus/README.md).
    static func expectsSyntaxError(_ program: CorpusProgram) -> Bool {
        program.file.lastPathComponent.hasPrefix("syntax_")
    }

    @Test("program parses, or fails to parse where its .err says", arguments: CorpusCatalog.all)
    func programParsesAsExpected(program: CorpusProgram) throws {
        let source = try String(contentsOf: program.file, encoding: .utf8)
        let fileName = program.file.lastPathComponent
        do {
            _ = try parseProgram(source, fileName: fileName)
            if Self.expectsSyntaxError(program) {
                Issue.record("\(program.relativePath) parsed, but it is a syntax-error case")
            }
        } catch {
            if Self.expectsSyntaxError(program) {
                for fragment in program.expectedStderrFragments where !error.description.contains(fragment) {
                    Issue.record("\(program.relativePath): error \"\(error.description)\" lacks \"\(fragment)\"")
                }
            } else {
                Issue.record("\(program.relativePath) does not parse: \(error.description)")
            }
        }
    }
}
