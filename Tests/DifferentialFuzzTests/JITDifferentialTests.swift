import Foundation
import Testing

/// A fixed batch of generated programs prints the same, on stdout and stderr, and exits the same with
/// `--no-jit` and with every JIT configuration the binary supports.
@Suite struct JITDifferentialTests {
    @Test func fixedSeedBatchAgreesAcrossConfigurations() throws {
        let jitstack = try #require(JitstackLocator.path, Comment(rawValue: JitstackLocator.missingMessage))
        let configurations = RunFlags.supported(by: jitstack)
        let check = DifferentialCheck(jitstack: jitstack, configurations: configurations)
        let seeds = (1...UInt64(FuzzBatch.count("JITSTACK_FUZZ_BATCH", default: 240))).map { $0 }
        let start = Date()
        let failures = parallelMap(seeds, width: FuzzBatch.width) { seed -> String? in
            let program = ProgramGenerator.generate(seed: seed, options: FuzzBatch.options(forSeed: seed))
            return check.check(program.source).map { FuzzBatch.report(seed: seed, $0, program: program.source) }
        }
        for failure in failures.compactMap({ $0 }) { Issue.record(Comment(rawValue: failure)) }
        let seconds = Date().timeIntervalSince(start)
        print("differential: \(seeds.count) programs x \(configurations.count + 1) configurations "
            + "(\(configurations.map(\.description).joined(separator: "; "))) in \(String(format: "%.1f", seconds)) s")
    }
}
