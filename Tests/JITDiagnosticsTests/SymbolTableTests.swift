import CShims
import CTestFixtures
import Testing
@testable import JITDiagnostics

@Suite("Symbol table from .symtab")
struct SymbolTableTests {
    @Test func namesAStaticCFunctionThatDladdrCannot() throws {
        let address = UInt(diag_fixture_static_function_address())
        #expect(diag_fixture_call_static(2) == 15)
        let table = try SymbolTable.forLoadedObject(containing: address)
        let found = try #require(table.lookup(address + 1))
        #expect(found.function.name == "diag_fixture_static_scale")
        #expect(found.offset == 1)

        var name: UnsafePointer<CChar>?
        var start: UInt = 0
        _ = jr_describe_address(UnsafeRawPointer(bitPattern: address), nil, &name, &start)
        #expect(name.map { String(cString: $0) } != "diag_fixture_static_scale", "dladdr sees only .dynsym")
    }

    @Test func namesAGlobalFunctionAtItsRunTimeAddress() throws {
        let function: @convention(c) (Int) -> Int = diag_fixture_called_from_jit
        let address = UInt(bitPattern: unsafeBitCast(function, to: Int.self))
        let table = try SymbolTable.mainExecutable()
        #expect(table.name(at: address) == "diag_fixture_called_from_jit")
        #expect(table.functions.count > 100)
        #expect(zip(table.functions, table.functions.dropFirst()).allSatisfy { $0.range.lowerBound <= $1.range.lowerBound })
    }

    @Test func addressesOutsideEveryFunctionHaveNoName() throws {
        let table = try SymbolTable.mainExecutable()
        #expect(table.name(at: 0) == nil)
        #expect(table.name(at: UInt.max - 1) == nil)
    }

    @Test func missingOrNonELFFilesAreClearErrors() {
        #expect(throws: DiagnosticsError.self) { try SymbolTable(path: "/nonexistent/file", loadBias: 0) }
        #expect(throws: DiagnosticsError.self) { try SymbolTable(path: "/proc/self/status", loadBias: 0) }
        #expect(throws: DiagnosticsError.self) { try SymbolTable.forLoadedObject(containing: 8) }
    }
}
