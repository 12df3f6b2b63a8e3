import Foundation
import Testing

/// `JITSTACK_FUZZ_PRINT=SEED` writes that seed's program to `JITSTACK_FUZZ_PRINT_FILE`
/// (`scripts/fuzz --print SEED`): a file, since the test runner's own output shares stdout.
@Suite struct FuzzPrintTests {
    static let seed = ProcessInfo.processInfo.environment["JITSTACK_FUZZ_PRINT"].flatMap { UInt64($0) }
    static let file = ProcessInfo.processInfo.environment["JITSTACK_FUZZ_PRINT_FILE"]

    @Test(.enabled(if: seed != nil && file != nil)) func writeProgramForSeed() throws {
        let program = ProgramGenerator.generate(seed: Self.seed!, options: FuzzBatch.options(forSeed: Self.seed!))
        try program.source.write(toFile: Self.file!, atomically: true, encoding: .utf8)
    }
}
