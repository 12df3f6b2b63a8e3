import Foundation
import Testing

/// `JITSTACK_FUZZ_PRINT=SEED` prints that seed's program (`scripts/fuzz --print SEED`).
@Suite struct FuzzPrintTests {
    static let seed = ProcessInfo.processInfo.environment["JITSTACK_FUZZ_PRINT"].flatMap { UInt64($0) }

    @Test(.enabled(if: seed != nil)) func printProgramForSeed() {
        let program = ProgramGenerator.generate(seed: Self.seed!, options: FuzzBatch.options(forSeed: Self.seed!))
        print("=== fuzz program \(Self.seed!)\n\(program.source)=== end of fuzz program")
    }
}
