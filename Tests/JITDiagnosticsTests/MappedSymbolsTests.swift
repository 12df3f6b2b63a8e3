import CShims
import CTestFixtures
import Glibc
import Testing
@testable import JITDiagnostics

/// The crash handler's symbol lookup: the executable's file mapped read-only, its `.symtab` read in place.
@Suite("Crash-time symbols from the mapped executable")
struct MappedSymbolsTests {
    /// Maps this test executable, as the crash reporter does at install.
    static func mapThisExecutable() throws {
        var path = [CChar](repeating: 0, count: 16)
        var bias: UInt = 0
        try #require(jr_loaded_object_containing(0, &path, path.count, &bias) == 0)
        try #require(jr_crash_map_symbols("/proc/self/exe", bias) == 0, "errno \(errno)")
    }

    static func mappedName(_ address: UInt) -> String? {
        var start: UInt = 0
        return jr_crash_mapped_symbol(address, &start).map { String(cString: $0) }
    }

    @Test func namesAStaticCFunctionAndGivesItsStart() throws {
        try Self.mapThisExecutable()
        let address = UInt(diag_fixture_static_function_address())
        #expect(diag_fixture_call_static(2) == 15)
        var start: UInt = 0
        let name = jr_crash_mapped_symbol(address + 1, &start).map { String(cString: $0) }
        #expect(name == "diag_fixture_static_scale")
        #expect(start == address)
        #expect(CrashReporter.executableSymbol(at: address) == "diag_fixture_static_scale")
    }

    @Test func agreesWithTheLibelfTableOnFunctionsSpreadOverTheExecutable() throws {
        try Self.mapThisExecutable()
        let table = try SymbolTable.mainExecutable()
        var startsSeen: [UInt: Int] = [:]
        for function in table.functions { startsSeen[function.range.lowerBound, default: 0] += 1 }
        // Functions with one name at their start (aliases may be named either way), sampled over the file.
        let unique = table.functions.filter { startsSeen[$0.range.lowerBound] == 1 && $0.range.count > 1 }
        try #require(unique.count > 100)
        let step = max(1, unique.count / 150)
        for function in stride(from: 0, to: unique.count, by: step).map({ unique[$0] }) {
            let middle = function.range.lowerBound + UInt(function.range.count / 2)
            #expect(Self.mappedName(middle) == function.name, "at \(String(middle, radix: 16))")
        }
    }

    @Test func addressesOutsideEveryFunctionHaveNoName() throws {
        try Self.mapThisExecutable()
        #expect(Self.mappedName(0) == nil)
        #expect(Self.mappedName(8) == nil)
        let libcWrite = try #require(jr_lookup_symbol("write"))
        #expect(Self.mappedName(UInt(bitPattern: libcWrite)) == nil, "libc's code is another object's")
    }

    @Test func aMissingOrNonELFFileIsRefusedWithErrno() {
        #expect(jr_crash_map_symbols("/nonexistent/file", 0) == -1 && errno == ENOENT)
        #expect(jr_crash_map_symbols("/proc/self/status", 0) == -1)
        let directory = jr_crash_map_symbols("/tmp", 0)
        #expect(directory == -1)
    }
}
