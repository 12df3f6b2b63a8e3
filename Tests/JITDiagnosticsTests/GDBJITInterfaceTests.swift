import CShims
import CodeGC
import Foundation
import TestSupport
import Testing
@testable import JITDiagnostics

@Suite("GDB JIT interface", .serialized)
struct GDBJITInterfaceTests {
    /// The objects on the descriptor list, parsed back with libelf.
    static func registeredTables() throws -> [SymbolTable] {
        try GDBJITInterface.registeredObjects().map { image throws(DiagnosticsError) in try SymbolTable(elfImage: image) }
    }

    @Test func registeredCodeIsOnTheDescriptorListAsValidELFNamingItsAddresses() throws {
        let harness = try CodeHarness()
        let gdb = try GDBJITInterface(executableBase: harness.region.executableBase, pageSize: harness.region.pageSize, pageCount: harness.region.pageCount)
        let before = GDBJITInterface.registeredObjects().count
        let first = try harness.compile(owner: 1)
        let second = try harness.compile(owner: 2)
        try gdb.register(first.code, name: "jit:A#one@pc0-1")
        try gdb.register([.init(range: second.code, name: "jit:B#two@pc0-1"),
                          .init(range: (second.code.upperBound + 16)..<(second.code.upperBound + 48), name: "jit:B#three@pc2-4")])
        #expect(gdb.registeredCount == 2)
        #expect(GDBJITInterface.registeredObjects().count == before + 2)

        let functions = try Self.registeredTables().prefix(2).flatMap(\.functions)
        #expect(Set(functions.map(\.name)) == ["jit:A#one@pc0-1", "jit:B#two@pc0-1", "jit:B#three@pc2-4"])
        #expect(functions.first { $0.name == "jit:A#one@pc0-1" }?.range == first.code)
        #expect(functions.first { $0.name == "jit:B#two@pc0-1" }?.range == second.code)
        #expect(functions.first { $0.name == "jit:B#three@pc2-4" }?.range == (second.code.upperBound + 16)..<(second.code.upperBound + 48))

        gdb.unregister(page: first.page)
        #expect(gdb.registeredCount == 1)
        let remaining = try Self.registeredTables().flatMap(\.functions).map(\.name)
        #expect(!remaining.contains("jit:A#one@pc0-1"))
        #expect(remaining.contains("jit:B#two@pc0-1"))
        gdb.unregister(page: second.page)
        #expect(GDBJITInterface.registeredObjects().count == before)
    }

    @Test func freedPagesUnregisterTheirObjectsThroughTheDiagnostics() throws {
        let harness = try CodeHarness()
        let gdb = try GDBJITInterface(executableBase: harness.region.executableBase, pageSize: harness.region.pageSize, pageCount: harness.region.pageCount)
        let diagnostics = JITDiagnostics(space: harness.region, gdb: gdb)
        let dying = try harness.compile(owner: 1)
        let living = try harness.compile(owner: 2)
        try harness.gc.setEntry(living.block)
        try diagnostics.didCompile(dying.code, name: "jit:Dying#m@pc0-1")
        try diagnostics.didCompile(living.code, name: "jit:Living#m@pc0-1")
        try harness.gc.collect()
        #expect(harness.freedPageBatches == [[dying.page]])
        diagnostics.didFreePages(harness.freedPageBatches[0], gcNumber: harness.gc.stats.codeGCCount)
        let names = try Self.registeredTables().flatMap(\.functions).map(\.name)
        #expect(names.contains("jit:Living#m@pc0-1"))
        #expect(!names.contains("jit:Dying#m@pc0-1"))
        #expect(gdb.registeredCount == 1)
    }

    @Test func symbolsOutsideTheRegionOrAcrossPagesAreRejected() throws {
        let harness = try CodeHarness(pageCount: 2)
        let gdb = try GDBJITInterface(executableBase: harness.region.executableBase, pageSize: harness.region.pageSize, pageCount: harness.region.pageCount)
        let base = harness.region.executableBase
        let page = UInt(harness.region.pageSize)
        #expect(throws: DiagnosticsError.self) { try gdb.register((base + page - 8)..<(base + page + 8), name: "straddles") }
        #expect(throws: DiagnosticsError.self) { try gdb.register(0x1000..<0x1010, name: "elsewhere") }
        #expect(throws: DiagnosticsError.self) { try gdb.register(base..<base, name: "empty") }
        #expect(gdb.registeredCount == 0)
        #expect(throws: DiagnosticsError.self) { try GDBJITInterface(executableBase: base, pageSize: 3000, pageCount: 1) }
    }

    /// Measures the cost the JIT pays per compiled block when GDB is not attached.
    @Test func registeringAndUnregisteringTenThousandEntriesStaysCheap() throws {
        let base: UInt = 0x7000_0000_0000
        let gdb = try GDBJITInterface(executableBase: base, pageSize: 16 << 10, pageCount: 10_000)
        let start = CodeGC.monotonicNanoseconds()
        for index in 0..<10_000 {
            let address = base + UInt(index) * UInt(16 << 10)
            try gdb.register(address..<(address + 96), name: "jit:Bench#m\(index)@pc0-12")
        }
        let registered = CodeGC.monotonicNanoseconds()
        for page in 0..<10_000 { gdb.unregister(page: page) }
        let end = CodeGC.monotonicNanoseconds()
        let registerUs = Double(registered - start) / 10_000 / 1000
        let unregisterUs = Double(end - registered) / 10_000 / 1000
        print("GDB JIT: register \(String(format: "%.2f", registerUs)) us/entry, unregister \(String(format: "%.2f", unregisterUs)) us/entry (10,000 entries)")
        #expect(gdb.registeredCount == 0)
        #expect(registered - start < 10_000_000_000, "10,000 registrations took under 10 s")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/gdb")))
    func gdbBacktraceNamesTheJITFrameBetweenCFrames() throws {
        let probe = try BuiltProduct.jitdiagProbe.located()
        let outcome = try ChildProcess.run("/usr/bin/gdb", [
            "-batch", "-nx", "-ex", "break diag_fixture_breakpoint", "-ex", "run", "-ex", "bt",
            "--args", probe.path, "gdb",
        ], timeout: 300)
        let frames = outcome.stdout.split(separator: "\n").filter { $0.hasPrefix("#") }
        #expect(outcome.status == 0, "gdb: \(outcome.stderr)")
        try #require(frames.count >= 4, "no backtrace: \(outcome.stdout) \(outcome.stderr)")
        #expect(frames[0].contains("diag_fixture_breakpoint"))
        #expect(frames[1].contains("diag_fixture_called_from_jit"))
        #expect(frames[2].contains("in jit:Probe#callC@pc0-3 ()"))
        #expect(frames[3].contains("runGDBTarget"), "gdb unwinds through the JIT frame to its Swift caller")
    }
}
