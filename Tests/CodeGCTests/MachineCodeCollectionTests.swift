import CShims
import CTestFixtures
import CodeMemory
import Testing
@testable import CodeGC

/// Real JIT code calling a frame-pointer-less C function that calls back into Swift, which collects.
@Suite("Collecting under running machine code", .serialized)
struct MachineCodeCollectionTests {
    @Test func jitCallerOfACollectingCFunctionSurvivesAndIsFreedOnceItReturned() throws {
        let harness = try JITHarness()
        let caller = try harness.compileCaller(owner: 1)
        var during: CollectionReport?
        var poisonedDuring = true
        let action = CallbackAction {
            during = try? harness.gc.collect()
            poisonedDuring = (try? harness.isPoisoned(caller.code)) ?? true
            return 7
        }
        let result = caller.function(runCallbackAction, action.context, 5)
        #expect(result == 7 + 5 + 1000)

        let report = try #require(during)
        #expect(report.preciseStacks == 1 && report.conservativeStacks == 0)
        #expect(report.pinnedPages == 1)
        #expect(!poisonedDuring)
        #expect(harness.gc.stats.pinnedPageCount == 1)

        let after = try harness.gc.collect()
        #expect(after.freedPages == 1)
        #expect(!harness.gc.contains(caller.block))
        #expect(try harness.isPoisoned(caller.code))
        #expect(harness.region.state(of: PageIndex(caller.page)) == .free)
    }

    @Test func callerInvalidatedFromInsideItsCalleeReturnsThroughTheExitThenGoes() throws {
        let harness = try JITHarness()
        let caller = try harness.compileCaller(owner: 2)
        try harness.gc.setEntry(caller.block)
        let action = CallbackAction {
            try? harness.gc.invalidate(caller.block)  // the seed's `remove_method` on itself
            _ = try? harness.gc.collect()
            return 7
        }
        let result = caller.function(runCallbackAction, action.context, 5)
        // The return point was patched: the frame left through the exit instead of adding 1000.
        #expect(result == 4242)
        #expect(harness.removedEntries == [caller.block])
        #expect(harness.gc.stats.freedPageCount == 0)

        try harness.gc.releasePage(harness.exitPage)
        let after = try harness.gc.collect()
        #expect(after.freedPages == 2)  // the caller's page and the exit's page
        #expect(try harness.isPoisoned(caller.code))
    }

    @Test func liveCallerIsNotFollowedIntoFreedCodeAfterReentry() throws {
        // Two nested JIT callers on different pages; the inner one is collected while the outer is still
        // on the stack, and the outer one still returns correctly.
        let harness = try JITHarness()
        let outer = try harness.compileCaller(owner: 3)
        let inner = try harness.compileCaller(owner: 4)
        var innerPagesFreed = 0
        let innermost = CallbackAction { 1 }
        let middle = CallbackAction {
            let value = inner.function(runCallbackAction, innermost.context, 10)  // 1 + 10 + 1000
            innerPagesFreed = (try? harness.gc.collect().freedPages) ?? -1
            return value
        }
        #expect(outer.function(runCallbackAction, middle.context, 100) == 1011 + 100 + 1000)
        #expect(innerPagesFreed == 1)
        #expect(!harness.gc.contains(inner.block))
        #expect(try harness.isPoisoned(inner.code))
        #expect(harness.gc.contains(outer.block))  // it was on the stack during the collection
    }

    @Test func deadBlockOnAPageThatStaysIsOverwrittenWithInt3() throws {
        let harness = try JITHarness()
        // The exit page is held by the harness (a writer hold), so it stays; the block on it is unreachable.
        let code = try harness.install(.inline, of: harness.exitPage) { assembler in
            assembler.mov(.rax, Int32(1))
            assembler.ret()
        }
        let block = try harness.gc.addBlock(owner: CodeOwnerID(7), ranges: [code])
        #expect(!(try harness.isPoisoned(code)))
        try harness.gc.collect()
        #expect(!harness.gc.contains(block))
        #expect(harness.region.state(of: PageIndex(harness.exitPage)) == .live)
        #expect(try harness.isPoisoned(code))
    }
}
