import CShims
import CTestFixtures
import CodeMemory
import Testing
@testable import CodeGC

/// Precise walks against conservative scans on real stacks mixing JIT, C (no frame pointer) and Swift frames.
@Suite("Stack walker", .serialized)
struct StackWalkerTests {
    /// Runs `leaf` at the bottom of `depth` nested JIT callers (each on its own page, each through the C
    /// fixture); returns the callers.
    static func nest(
        _ harness: JITHarness, depth: Int, leaf: @escaping () -> Void
    ) throws -> [CompiledCaller] {
        let callers = try (0..<depth).map { try harness.compileCaller(owner: UInt64($0)) }
        var actions: [CallbackAction] = []
        actions.append(CallbackAction { leaf(); return 0 })
        for level in stride(from: depth - 1, to: 0, by: -1) {
            let next = actions.last!
            let caller = callers[level]
            actions.append(CallbackAction { caller.function(runCallbackAction, next.context, 0) })
        }
        let result = callers[0].function(runCallbackAction, actions.last!.context, 0)
        #expect(result == 1000 * depth)
        return callers
    }

    @Test func preciseWalkFindsEveryJITFrameAndPinsNoMorePagesThanTheScan() throws {
        let harness = try JITHarness()
        let walker = StackWalker(region: harness.region.executableBase..<harness.region.executableEnd)
        var precise: [UInt] = []
        var checked: [UInt] = []
        var scanned: [UInt] = []
        var outcomes: [StackWalkOutcome] = []
        let callers = try Self.nest(harness, depth: 6) {
            outcomes.append(walker.walkCurrentThread(mode: .precise))
            precise = walker.found
            outcomes.append(walker.walkCurrentThread(mode: .checked))
            checked = walker.found
            outcomes.append(walker.walkCurrentThread(mode: .conservative))
            scanned = walker.found
        }
        #expect(outcomes == [.precise, .precise, .conservative])
        let expected = callers.reversed().map(\.returnPoint.returnAddress)
        #expect(precise == expected)
        #expect(checked == expected)
        for address in expected { #expect(scanned.contains(address)) }
        let pages = { (addresses: [UInt]) in Set(addresses.compactMap { harness.gc.page(of: $0 - 1) }) }
        #expect(pages(precise).count <= pages(scanned).count)
        #expect(pages(precise) == Set(callers.map(\.page)))
    }

    @Test func collectorPinsTheSamePagesPreciselyAndCountsEachWay() throws {
        for mode in [StackWalkMode.precise, .conservative] {
            let harness = try JITHarness(stackWalk: mode)
            var report: CollectionReport?
            let callers = try Self.nest(harness, depth: 4) { report = try? harness.gc.collect() }
            let during = try #require(report)
            #expect(during.freedPages == 0)
            #expect(during.pinnedPages >= callers.count)
            if mode == .precise {
                #expect(during.pinnedPages == callers.count)
                #expect(during.preciseStacks == 1 && during.conservativeStacks == 0)
            } else {
                #expect(during.preciseStacks == 0 && during.conservativeStacks == 1)
            }
            // The collection's own frames now occupy the stack the JIT frames used: scrub it so that stale
            // return addresses in slots those frames never write are rare.
            Self.scrubStack(depth: 128)
            let afterReport = try harness.gc.collect()
            if mode == .precise {
                #expect(afterReport.freedPages == callers.count)
            } else {
                // A conservative scan may still meet a stale copy in a live frame: a page it keeps must be
                // one a stack word pinned, never one kept for no reason.
                #expect(afterReport.freedPages + afterReport.pinnedPages == callers.count)
            }
        }
    }

    /// Zeroes about `depth` KiB of stack below the caller's frame (1 KiB per level).
    @inline(never)
    static func scrubStack(depth: Int) {
        withUnsafeTemporaryAllocation(byteCount: 1024, alignment: 16) { buffer in
            buffer.initializeMemory(as: UInt8.self, repeating: 0)
            if depth > 1 { scrubStack(depth: depth - 1) }
            _ = buffer.load(as: UInt8.self)
        }
    }

    static let fiberEntry: jr_fiber_entry = { _, argument in
        Unmanaged<CallbackAction>.fromOpaque(argument!).takeUnretainedValue().body()
    } as jr_fiber_entry

    @Test func fiberSuspendedInJITCodeKeepsItsPageAcrossCollectionsUntilItEnds() throws {
        let harness = try JITHarness()
        let caller = try harness.compileCaller(owner: 9)
        var fiber: OpaquePointer?
        var result = 0
        let yielder = CallbackAction {
            jr_fiber_yield(fiber)
            return 2
        }
        let entry = CallbackAction {
            result = caller.function(runCallbackAction, yielder.context, 3)
            return 0
        }
        fiber = try #require(jr_fiber_create(256 << 10, Self.fiberEntry, entry.context))
        defer { jr_fiber_destroy(fiber) }
        #expect(jr_fiber_resume(fiber) == 0)
        try #require(jr_fiber_is_suspended(fiber) == 1)
        var low: UInt = 0
        var high: UInt = 0
        jr_fiber_stack_bounds(fiber, &low, &high)
        harness.savedContexts = [(UnsafeMutableRawPointer(jr_fiber_saved_context(fiber)!), low..<high)]

        for _ in 0..<2 {
            let report = try harness.gc.collect()
            #expect(report.freedPages == 0)
            #expect(report.preciseStacks == 2)  // this thread and the fiber
            #expect(!(try harness.isPoisoned(caller.code)))
        }
        harness.savedContexts = []
        #expect(jr_fiber_resume(fiber) == 0)
        #expect(jr_fiber_is_finished(fiber) == 1)
        #expect(result == 2 + 3 + 1000)
        #expect(try harness.gc.collect().freedPages == 1)
        #expect(try harness.isPoisoned(caller.code))
    }
}
