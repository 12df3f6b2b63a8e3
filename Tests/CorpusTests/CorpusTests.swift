import Foundation
import TestSupport
import Testing

/// Runs every corpus program with `jitstack run` in every configuration and compares stdout exactly,
/// stderr and the exit status with the expectations next to the program.
@Suite("Corpus programs under jitstack")
struct CorpusTests {
    @Test("the corpus holds at least 60 runnable programs, each with expected output and every failure with expected stderr")
    func corpusIsComplete() {
        #expect(CorpusCatalog.programs.count >= 60, "found \(CorpusCatalog.programs.count) programs under \(CorpusCatalog.root.path)")
        for program in CorpusCatalog.all {
            #expect(program.expectedStdout != nil, "\(program.relativePath) has no .out file")
            if program.expectedStatus != 0 {
                #expect(!program.expectedStderrFragments.isEmpty, "\(program.relativePath) fails without saying what stderr must explain")
            }
        }
    }

    @Test("program prints its expected output", arguments: CorpusCatalog.programs, RunConfiguration.active)
    func programMatchesExpectation(program: CorpusProgram, configuration: RunConfiguration) throws {
        try check(program, configuration)
    }

    @Test(
        "slow program prints its expected output",
        .enabled(if: CorpusCatalog.runSlowPrograms, "set JITSTACK_CORPUS_SLOW=1 to run slow programs"),
        arguments: CorpusCatalog.slowPrograms, RunConfiguration.active
    )
    func slowProgramMatchesExpectation(program: CorpusProgram, configuration: RunConfiguration) throws {
        try check(program, configuration, defaultTimeout: 600)
    }

    private func check(_ program: CorpusProgram, _ configuration: RunConfiguration, defaultTimeout: Double? = nil) throws {
        let binary = try BuiltProduct.jitstack.located()
        let outcome = try ChildProcess.run(
            binary.path, ["run"] + configuration.flags + [program.file.path],
            timeout: program.timeoutOverride ?? defaultTimeout ?? CorpusCatalog.defaultTimeout
        )
        let problems = CorpusExpectation.mismatches(
            of: outcome,
            expectedStdout: program.expectedStdout,
            expectedStderrFragments: program.expectedStderrFragments,
            hasStderrExpectation: program.hasStderrExpectation,
            expectedStatus: program.expectedStatus
        )
        if !problems.isEmpty {
            Issue.record(Comment(rawValue: "\(program.relativePath) [\(configuration.testDescription)]:\n  "
                + problems.joined(separator: "\n  ")))
        }
    }
}
