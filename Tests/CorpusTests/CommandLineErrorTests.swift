import Foundation
import TestSupport
import Testing

/// Bad command lines get a clear message and exit status 1, never a crash and never ArgumentParser's 64.
@Suite("jitstack command-line errors")
struct CommandLineErrorTests {
    static let badCommandLines: [[String]] = [
        ["run", "--code-region", "lots", "-e", "p 1"],
        ["run", "--page-size", "3K", "-e", "p 1"],
        ["run", "--call-threshold", "-4", "-e", "p 1"],
        ["run", "--no-such-flag", "-e", "p 1"],
        ["run"],
        ["no-such-command"],
    ]

    @Test("a bad command line exits 1 with a message on stderr", arguments: badCommandLines)
    func badCommandLineExitsOne(arguments: [String]) throws {
        let jitstack = try BuiltProduct.jitstack.located()
        let outcome = try ChildProcess.run(
            jitstack.path, arguments, timeout: 60)
        #expect(!outcome.signaled)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("Error"))
    }

    @Test("--help still succeeds")
    func helpExitsZero() throws {
        let jitstack = try BuiltProduct.jitstack.located()
        let outcome = try ChildProcess.run(
            jitstack.path, ["run", "--help"], timeout: 60)
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("--code-region"))
    }
}
