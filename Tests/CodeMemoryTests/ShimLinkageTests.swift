import CShims
import Testing

@Suite("The C shim is linked as the unwinding notes require")
struct ShimLinkageTests {
    @Test("_Unwind_* resolve to libgcc_s, not libunwind, so C++ and Swift unwinding stay fast")
    func unwindABIBindsToLibgcc() throws {
        #expect(try libraryDefining("_Unwind_RaiseException").contains("libgcc_s"))
        #expect(try libraryDefining("_Unwind_Backtrace").contains("libgcc_s"))
        #expect(try libraryDefining("_U_dyn_register").contains("libunwind"))
    }

    @Test("libelf is linked and accepts the current ELF version")
    func libelfIsLinked() throws {
        #expect(jr_elf_initialize() == 0)
        #expect(try libraryDefining("elf_version").contains("libelf"))
    }
}

/// Path of the shared object that the process-wide lookup binds `symbol` to.
private func libraryDefining(_ symbol: String) throws -> String {
    let address = try #require(jr_lookup_symbol(symbol), "\(symbol) not found")
    var path: UnsafePointer<CChar>?
    try #require(jr_describe_address(address, &path, nil, nil) == 0)
    return String(cString: try #require(path))
}
