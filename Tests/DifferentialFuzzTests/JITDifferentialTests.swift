import Foundation
import TestSupport
import Testing

/// A fixed batch of generated programs prints the same, on stdout and stderr, and exits the same with
/// `--no-jit` as with the default flags and with the harshest JIT configuration the binary supports
/// (`scripts/fuzz` also runs `--call-threshold 1` alone). A disagreement whose seed or crash message
/// belongs to a reproducer still open in `Tests/FuzzRepros/` is a known issue of another component:
/// reported, not failed.
@Suite struct JITDifferentialTests {
    @Test func fixedSeedBatchAgreesAcrossConfigurations() throws {
        let jitstack = try BuiltProduct.jitstack.located().path
        let supported = RunFlags.supported(by: jitstack)
        let configurations = supported.count > 2 ? [supported[0], supported[supported.count - 1]] : supported
        let check = DifferentialCheck(jitstack: jitstack, configurations: configurations)
        let seeds = (1...UInt64(FuzzBatch.count("JITSTACK_FUZZ_BATCH", default: 150))).map { $0 }
        let start = Date()
        let open = ReproStore.openFindings()
        let failures = parallelMap(seeds, width: FuzzBatch.width) { seed -> (Bool, String)? in
            let program = ProgramGenerator.generate(seed: seed, options: FuzzBatch.options(forSeed: seed))
            return check.check(program.source).map {
                (ReproStore.isKnown(seed: seed, $0, in: open), FuzzBatch.report(seed: seed, $0, program: program.source))
            }
        }
        for (known, failure) in failures.compactMap({ $0 }) {
            if known {
                withKnownIssue("an open reproducer in Tests/FuzzRepros has this seed or crash") {
                    Issue.record(Comment(rawValue: failure))
                }
            } else {
                Issue.record(Comment(rawValue: failure))
            }
        }
        let seconds = Date().timeIntervalSince(start)
        print("differential: \(seeds.count) programs, --no-jit vs \(configurations.map(\.description).joined(separator: "; ")), "
            + "\(failures.compactMap { $0 }.count) disagreements, \(String(format: "%.1f", seconds)) s")
    }
}
