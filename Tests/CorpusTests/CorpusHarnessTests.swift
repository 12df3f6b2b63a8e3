import Foundation
import TestSupport
import Testing

/// Proves the corpus harness itself: the runner's capture and timeout, the comparison, and the whole
/// path from discovery to verdict with a stand-in for `jitstack` that runs Ruby.
@Suite("Corpus harness")
struct CorpusHarnessTests {
    @Test("runner captures stdout, stderr and the exit status")
    func runnerCapturesOutputAndStatus() throws {
        let outcome = try ChildProcess.run(
            URL(fileURLWithPath: "/bin/sh").path, ["-c", "printf 'out\\n'; printf 'err' >&2; exit 3"],
            timeout: 10
        )
        #expect(outcome.stdout == "out\n")
        #expect(outcome.stderr == "err")
        #expect(outcome.status == 3)
        #expect(!outcome.timedOut)
        #expect(!outcome.signaled)
    }

    @Test("runner kills a program that outlives its timeout and says so")
    func runnerKillsHungProgram() throws {
        let outcome = try ChildProcess.run(
            URL(fileURLWithPath: "/bin/sh").path, ["-c", "printf started; exec sleep 60"],
            timeout: 0.5
        )
        #expect(outcome.timedOut)
        #expect(outcome.seconds < 10)
        #expect(outcome.stdout == "started")
        let problems = CorpusExpectation.mismatches(
            of: outcome, expectedStdout: "started", expectedStderrFragments: [],
            hasStderrExpectation: false, expectedStatus: 0)
        #expect(problems.contains { $0.contains("did not finish in time") })
    }

    @Test("runner reports a crash by signal")
    func runnerReportsSignal() throws {
        let outcome = try ChildProcess.run(
            URL(fileURLWithPath: "/bin/sh").path, ["-c", "kill -SEGV $$"],
            timeout: 10
        )
        #expect(outcome.signaled)
        #expect(outcome.status == SIGSEGV)
    }

    @Test("a run that matches has no mismatches")
    func matchingRunPasses() {
        let outcome = ChildOutcome(ending: .exited(1), stdout: "a\nb\n", stderr: "x.rb:3:1: boom\n")
        let problems = CorpusExpectation.mismatches(
            of: outcome, expectedStdout: "a\nb\n", expectedStderrFragments: ["x.rb:3:", "boom"],
            hasStderrExpectation: true, expectedStatus: 1)
        #expect(problems.isEmpty)
    }

    @Test("each kind of mismatch is reported with the line that differs")
    func mismatchesAreNamed() {
        let outcome = ChildOutcome(ending: .exited(0), stdout: "a\nc\n", stderr: "noise")
        let problems = CorpusExpectation.mismatches(
            of: outcome, expectedStdout: "a\nb\n", expectedStderrFragments: ["boom"],
            hasStderrExpectation: true, expectedStatus: 1)
        #expect(problems.contains("exit status 0, expected 1"))
        #expect(problems.contains("stdout differs: line 2: expected \"b\", got \"c\""))
        #expect(problems.contains("stderr lacks \"boom\""))

        let shorter = CorpusExpectation.firstDifference(expected: "a\nb\n", actual: "a\n")
        #expect(shorter == "line 2: expected \"b\", got \"\"")
        let noisy = CorpusExpectation.mismatches(
            of: outcome, expectedStdout: "a\nc\n", expectedStderrFragments: [],
            hasStderrExpectation: false, expectedStatus: 0)
        #expect(noisy.contains("unexpected stderr"))
    }

    @Test("a missing .out file is a failure, not a pass")
    func missingExpectedOutputFails() {
        let outcome = ChildOutcome(ending: .exited(0), stdout: "", stderr: "")
        let problems = CorpusExpectation.mismatches(
            of: outcome, expectedStdout: nil, expectedStderrFragments: [],
            hasStderrExpectation: false, expectedStatus: 0)
        #expect(problems.count == 1)
    }

    @Test("configurations parse from the environment syntax")
    func configurationsParse() {
        let parsed = RunConfiguration.parse(";--no-jit;--page-size 4K --code-region 256K")
        #expect(parsed.map(\.flags) == [[], ["--no-jit"], ["--page-size", "4K", "--code-region", "256K"]])
    }

    @Test("discovery skips later/, reads headers and expectation files")
    func discoveryReadsCorpus() throws {
        let paths = CorpusCatalog.all.map(\.relativePath)
        #expect(!paths.contains { $0.hasPrefix("later/") })
        let slow = try #require(CorpusCatalog.all.first { $0.relativePath == "seed/eval_churn_full.rb" })
        #expect(slow.isSlow)
        #expect(!CorpusCatalog.programs.contains { $0.relativePath == slow.relativePath })
        let overflow = try #require(CorpusCatalog.all.first { $0.relativePath == "errors/uncaught_overflow.rb" })
        #expect(overflow.differsFromRuby)
        #expect(overflow.expectedStatus == 1)
        #expect(overflow.expectedStderrFragments == ["integer overflow"])
    }

    /// Runs the Ruby-checked part of the corpus through the same harness with a stand-in `jitstack`
    /// that hands the file to Ruby: proves discovery, arguments, capture and comparison end to end.
    @Test(
        "a Ruby stand-in for jitstack passes every Ruby-checked program",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ruby"), "needs /usr/bin/ruby")
    )
    func rubyStandInPassesCorpus() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fake-jitstack-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fake = folder.appendingPathComponent("jitstack")
        // `jitstack run [flags] FILE`: the file is the last argument.
        let script = """
            #!/bin/sh
            for last in "$@"; do :; done
            RUBY_THREAD_VM_STACK_SIZE=16777216 exec /usr/bin/ruby --disable=did_you_mean,error_highlight -W0 "$last"

            """
        try script.write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)

        let programs = CorpusCatalog.programs.filter { !$0.differsFromRuby }
        #expect(programs.count >= 50)
        for program in programs {
            let outcome = try ChildProcess.run(fake.path, ["run", "--no-jit", program.file.path], timeout: 60)
            let problems = CorpusExpectation.mismatches(
                of: outcome, expectedStdout: program.expectedStdout,
                expectedStderrFragments: program.expectedStderrFragments,
                hasStderrExpectation: program.hasStderrExpectation, expectedStatus: program.expectedStatus)
            if !problems.isEmpty {
                Issue.record(Comment(rawValue: program.relativePath + ": " + problems.joined(separator: "; ")))
            }
        }
    }
}
