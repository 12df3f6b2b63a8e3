import Glibc
import CodeGC
import Testing
@testable import JITDiagnostics

@Suite("Diagnostics input checks")
struct DiagnosticsInputTests {
    @Test func codeOutsideTheRegionOrEmptyIsAClearError() throws {
        let harness = try CodeHarness(pageCount: 2)
        let diagnostics = JITDiagnostics(space: harness.region)
        let end = harness.region.executableEnd
        #expect(throws: DiagnosticsError.self) { try diagnostics.didCompile(end..<(end + 4), name: "past the end") }
        #expect(throws: DiagnosticsError.self) { try diagnostics.didCompile(0x1000..<0x1004, name: "not ours") }
        let base = harness.region.executableBase
        #expect(throws: DiagnosticsError.self) { try diagnostics.didCompile(base..<base, name: "empty") }
        try diagnostics.didCompile(base..<(base + 4), name: "inside")
    }

    @Test func optionsCreateExactlyThePartsAskedFor() throws {
        let harness = try CodeHarness(pageCount: 2)
        let path = temporaryPath("perfmap-options")
        defer { unlink(path) }
        let some = try JITDiagnostics(space: harness.region, options: DiagnosticsOptions(perfMapPath: path, gdb: true, crashReports: false))
        #expect(some.perfMap?.path == path)
        #expect(some.gdb != nil)
        #expect(some.crashReporter == nil)
        let none = try JITDiagnostics(space: harness.region, options: DiagnosticsOptions(crashReports: false))
        #expect(none.perfMap == nil && none.gdb == nil && none.crashReporter == nil)
        #expect(DiagnosticsOptions.perfMapForThisProcess == "/tmp/perf-\(getpid()).map")
    }
}
