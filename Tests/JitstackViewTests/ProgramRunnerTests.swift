@testable import JitstackCLI
import Testing

@Suite struct ProgramRunnerTests {
    /// The CLI's exit skips tearing down its finished VM and JIT: `ProgramRunner.run` keeps the session.
    @Test func runKeepsItsFinishedSessionUntilExit() {
        let status = ProgramRunner.run(source: "x = 6 * 7", file: nil, settings: RunSettings())
        #expect(status == 0)
        #expect(ProgramRunner.sessionKeptUntilExit != nil)
    }
}
