@testable import JitstackCLI
import Testing

@Suite struct ProgramRunnerTests {
    /// The CLI's exit skips tearing down its finished VM and JIT: `ProgramRunner.run` keeps the session.
    @Test func runKeepsItsFinishedSessionUntilExit() {
        // The crash reporter is one per process and this test shares the process with CrashReporterTests:
        // a kept session must not hold it, and the session is released once checked.
        var settings = RunSettings()
        settings.diagnostics.noCrashReport = true
        defer { ProgramRunner.sessionKeptUntilExit = nil }
        let status = ProgramRunner.run(source: "x = 6 * 7", file: nil, settings: settings)
        #expect(status == 0)
        #expect(ProgramRunner.sessionKeptUntilExit != nil)
    }
}
