import CodeGC
@testable import GuestJIT
import GuestVM
import Testing

/// Invalidating a redefined method makes room for stubs and return exits only when it will generate them:
/// a churn of tiny redefinitions must not open a fresh page per redefinition.
@Suite("Room for invalidation code", .serialized)
struct InvalidationRoomTests {
    @Test func onlyBlocksWithReturnPointsOrIncomingBranchesGenerateInvalidationCode() throws {
        let run = try GuestRun(jit: GuestRun.eager)
        let jit = try #require(run.jit)
        _ = try run.run("""
        def tiny; 1; end
        tiny
        def caller_of_tiny; tiny + 1; end
        caller_of_tiny
        def looping(n); i = 0; while i < n; i += 1; end; i; end
        looping(3)
        """)
        let tiny = try #require(entryBlock(of: "tiny", in: run))
        let caller = try #require(entryBlock(of: "caller_of_tiny", in: run))
        #expect(!jit.gc.invalidationGeneratesCode(tiny))
        // A send's return point must be patched to an exit.
        #expect(jit.gc.invalidationGeneratesCode(caller))
        // The loop's blocks branch into each other: some block has an incoming branch.
        let looping = try #require(run.vm.iseqs.liveISeqs().first { $0.name == "looping" })
        let record = jit.ownerRecord(for: looping)
        var any = false
        record.versions.forEach { if jit.gc.invalidationGeneratesCode($0.block) { any = true } }
        #expect(any)
        try jit.gc.invalidate(caller)
        #expect(!jit.gc.invalidationGeneratesCode(caller))
    }

    @Test func redefiningTinyMethodsFillsPagesInsteadOfTakingOneEach() throws {
        let run = try GuestRun(jit: JITConfiguration(callThreshold: 1, pageSize: 16 << 10, codeGC: false))
        let jit = try #require(run.jit)
        let out = try run.run("""
        n = 0
        300.times { |i| eval("def test; #{i}; end", TOPLEVEL_BINDING); n += 1 if test() == i }
        p n
        """)
        #expect(out.hasSuffix("300\n"))
        #expect(jit.stat("invalidation_count")! >= 299)
        // 300 tiny blocks and their exits take a few 16 KiB pages, not one page per redefinition.
        #expect(jit.stat("live_page_count")! < 30)
    }

    @Test func aRedefinedMethodWithASendStillReturnsThroughAnExit() throws {
        let (out, jit) = try GuestRun.output("""
        def helper; $hit = true; redo_target; end
        def redo_target; eval("def redo_target; 2; end", TOPLEVEL_BINDING); 1; end
        def outer; helper + 10; end
        p outer
        p outer
        """, jit: GuestRun.eager)
        #expect(out == "11\n12\n")
        #expect(try #require(jit).stat("invalidation_count")! >= 1)
    }

    private func entryBlock(of name: String, in run: GuestRun) -> BlockID? {
        guard let jit = run.jit, let iseq = run.vm.iseqs.liveISeqs().first(where: { $0.name == name }),
              let entry = iseq.jitEntry else { return nil }
        return jit.gc.block(containing: UInt(bitPattern: entry))
    }
}
