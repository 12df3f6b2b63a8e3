import Foundation
import TestSupport

/// The settings of a fixed-seed batch, overridable from the environment so a developer can run more.
enum FuzzBatch {
    static func count(_ variable: String, default value: Int) -> Int {
        ProcessInfo.processInfo.environment[variable].flatMap { Int($0) } ?? value
    }

    /// Subprocesses run at once: the machine's cores (two in CI) plus one, since runs also wait on I/O.
    static let width = count("JITSTACK_FUZZ_JOBS", default: ProcessInfo.processInfo.activeProcessorCount + 1)

    /// Odd seeds get jitstack-only programs (with integer overflow), even seeds Ruby-comparable ones.
    static func options(forSeed seed: UInt64) -> GeneratorOptions {
        seed % 2 == 1 ? .jitstackOnly : .rubyComparable
    }

    /// A failure report: the seed, what disagreed, and the whole program, so it can be rerun by hand.
    static func report(seed: UInt64, _ disagreement: Disagreement, program: String) -> String {
        """
        seed \(seed) (\(options(forSeed: seed) == .jitstackOnly ? "jitstack-only" : "ruby-comparable")): \(disagreement)
        --- program (scripts/fuzz --print \(seed)):
        \(program)
        """
    }
}
