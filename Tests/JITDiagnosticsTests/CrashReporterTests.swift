import Foundation
import TestSupport
import Testing
@testable import JITDiagnostics

@Suite("Crash reports")
struct CrashReporterTests {
    @Test func jumpingIntoAFreedPageReportsThePageItsHistoryAndTheStackThenAborts() throws {
        let outcome = try ChildProcess.run(BuiltProduct.jitdiagProbe.located().path, ["crash-freed-page"], timeout: 120)
        #expect(outcome.signaled && outcome.status == SIGABRT, "status \(outcome.status): \(outcome.stderr)")
        let freed = try #require(outcome.stdout.firstMatch(of: /freed page (\d+) at ([0-9a-f]+) by GC #(\d+)/), "\(outcome.stdout)")
        let page = String(freed.1), address = String(freed.2), gc = String(freed.3)
        let lines = outcome.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "jitstack: SIGTRAP in JIT code at 0x\(address) (pc 0x\(String(UInt(address, radix: 16)! + 1, radix: 16))), code page \(page) at 0x\(address)")
        #expect(lines.contains("  page \(page) FREED by GC #\(gc): execution reached freed code"))
        #expect(lines.contains("  page \(page) freed by GC #\(gc), it held: jit:Doomed#method@pc0-2"))
        #expect(!outcome.stderr.contains("jit:Kept#alive"), "only the freed page's history is shown")
        let frames = lines.filter { $0.hasPrefix("  #") }
        try #require(frames.count >= 2, "\(outcome.stderr)")
        #expect(frames[0].contains(" JIT   page \(page) FREED by GC #\(gc)"))
        // SwiftPM names an executable's entry both `main` (size 0) and `<module>_main` (sized), at one address.
        #expect(frames[1].contains(/\ C\ {5}(jitdiag_probe_)?main\+/), "the caller is named from .symtab: \(frames[1])")
        #expect(frames.contains { $0.contains("__libc_start_main") })
    }

    @Test func anIllegalInstructionInALivePageIsReportedWithWhatThePageHolds() throws {
        let outcome = try ChildProcess.run(BuiltProduct.jitdiagProbe.located().path, ["crash-live-page"], timeout: 120)
        #expect(outcome.signaled && outcome.status == SIGABRT, "status \(outcome.status): \(outcome.stderr)")
        let bad = try #require(outcome.stdout.firstMatch(of: /bad code at ([0-9a-f]+) on page (\d+)/), "\(outcome.stdout)")
        let address = UInt(String(bad.1), radix: 16)! + 4  // after push rbp; mov rbp, rsp
        let page = String(bad.2)
        let lines = outcome.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("jitstack: SIGILL in JIT code at 0x\(String(address, radix: 16))") == true, "\(outcome.stderr)")
        #expect(lines.contains("  page \(page) live, holds: jit:Fine#ret@pc0-1, jit:Bad#ud2@pc0-1"))
        #expect(lines.contains("  no freed-page history for page \(page)"))
        let frames = lines.filter { $0.hasPrefix("  #") }
        try #require(frames.count >= 2, "\(outcome.stderr)")
        #expect(frames[0].contains(" JIT   page \(page) live"))
        #expect(frames[1].contains("Swift $s") && frames[1].contains("runCrashInLivePage"), "the Swift caller: \(frames[1])")
    }

    @Test func aStaticCFunctionOnTheCrashedStackIsNamedFromTheMappedSymbolTable() throws {
        let outcome = try ChildProcess.run(BuiltProduct.jitdiagProbe.located().path, ["crash-under-static-c"], timeout: 120)
        #expect(outcome.signaled && outcome.status == SIGABRT, "status \(outcome.status): \(outcome.stderr)")
        let bad = try #require(outcome.stdout.firstMatch(of: /bad code at ([0-9a-f]+) on page (\d+)/), "\(outcome.stdout)")
        let lines = outcome.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains("  page \(bad.2) live, holds: jit:UnderC#ud2@pc0-1"), "\(outcome.stderr)")
        let frames = lines.filter { $0.hasPrefix("  #") }
        try #require(frames.count >= 3, "\(outcome.stderr)")
        #expect(frames[0].contains(" JIT   page \(bad.2) live"))
        // dladdr cannot name a static function (SymbolTableTests): only the executable's .symtab can.
        #expect(frames[1].contains(" C     diag_fixture_static_caller+0x"), "the static C caller: \(frames[1])")
        #expect(frames[2].contains(" C     diag_fixture_call_through_static+0x"), "\(frames[2])")
    }

    @Test func aFaultOutsideTheCodeRegionKeepsItsDefaultActionAndPrintsNoReport() throws {
        let outcome = try ChildProcess.run(BuiltProduct.jitdiagProbe.located().path, ["crash-outside"], timeout: 120)
        #expect(outcome.stdout.contains("faulting outside the region"))
        #expect(outcome.signaled && outcome.status == SIGSEGV, "status \(outcome.status): \(outcome.stderr)")
        #expect(!outcome.stderr.contains("jitstack:"))
    }

    @Test func aSecondReporterInTheSameProcessIsRefusedAndInvalidGeometryToo() throws {
        #expect(throws: DiagnosticsError.self) {
            try CrashReporter.install(executableBase: 0x10000, pageSize: 1000, pageCount: 1)
        }
        let reporter = try CrashReporter.install(executableBase: 0x7fff_0000_0000, pageSize: 16 << 10, pageCount: 4)
        defer { reporter.uninstall() }
        #expect(throws: DiagnosticsError.self) {
            try CrashReporter.install(executableBase: 0x7fff_0000_0000, pageSize: 16 << 10, pageCount: 4)
        }
    }
}
