import Foundation
import TestSupport
import Testing

/// Ruby-comparable generated programs print what Debian's ruby prints and exit the same way under
/// `jitstack run --no-jit`: this validates the generator (its programs mean the same in Ruby) and the
/// interpreter at once. Skipped where ruby is not installed.
@Suite struct RubyAgreementTests {
    @Test(.enabled(if: RubyLocator.path != nil, "ruby is not installed"))
    func generatedProgramsMatchRuby() throws {
        let jitstack = try BuiltProduct.jitstack.located().path
        let ruby = try #require(RubyLocator.path)
        let check = DifferentialCheck(jitstack: jitstack, configurations: [])
        let seeds = (0..<UInt64(FuzzBatch.count("JITSTACK_FUZZ_RUBY_BATCH", default: 24))).map { 1_000_000 + $0 * 2 }
        let failures = parallelMap(seeds, width: FuzzBatch.width) { seed -> String? in
            let program = ProgramGenerator.generate(seed: seed, options: .rubyComparable)
            return check.checkAgainstRuby(program.source, ruby: ruby)
                .map { FuzzBatch.report(seed: seed, $0, program: program.source) }
        }
        for failure in failures.compactMap({ $0 }) { Issue.record(Comment(rawValue: failure)) }
    }
}
