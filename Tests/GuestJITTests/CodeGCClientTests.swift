import CodeGC
@testable import GuestJIT
import Testing

/// The collector reaches the JIT through `CodeGCClient`: nothing holds the JIT weakly (a weak reference
/// moves an object's reference counts to a side table, and every retain of the JIT then takes the slow
/// path), and the collector still hears of, and calls back into, the JIT.
@Suite("The collector's client", .serialized)
struct CodeGCClientTests {
    @Test func nothingHoldsTheJITWeakly() throws {
        let run = try GuestRun(jit: GuestRun.eager)
        let jit = try #require(run.jit)
        _ = try run.run("def f; 1; end; f; JIT.code_gc")
        // An object never referenced weakly reports the same weak count as a fresh one.
        #expect(_getWeakRetainCount(jit) == _getWeakRetainCount(Unreferenced()))
        #expect(jit.gc.roots != nil && jit.gc.roots !== jit)
        #expect(jit.gc.codeFactory != nil && jit.gc.codeFactory !== jit)
    }

    @Test func collectionsReachTheJITThroughTheClient() throws {
        let run = try GuestRun(jit: GuestRun.tiny)
        let jit = try #require(run.jit)
        _ = try run.run("1.times { }")
        let owners = jit.owners.count
        let out = try run.run("""
        200.times { |i| eval("def churned; #{i}; end", TOPLEVEL_BINDING); churned }
        p JIT.code_gc > 0
        """)
        #expect(out.hasSuffix("true\n"))
        // The frees reached the JIT (`codeGC(_:didFreeAllCodeOf:)`): dead owners are forgotten.
        #expect(jit.owners.count <= owners + 2)
    }
}

private final class Unreferenced {}
