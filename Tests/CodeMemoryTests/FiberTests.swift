import CShims
import CTestFixtures
import CodeMemory
import Testing

extension UnwinderTests {
    @Suite("Fibers switch stacks and their suspended stacks are walked exactly")
    struct FiberTests {
        static let countDown: jr_fiber_entry = fixture_fiber_count_down
        static let runChain: jr_fiber_entry = fixture_fiber_run_chain

        @Test("A fiber yields back to its resumer each time and finishes when its entry returns")
        func fiberPingPong() throws {
            let remaining = UnsafeMutablePointer<Int>.allocate(capacity: 1)
            defer { remaining.deallocate() }
            remaining.pointee = 3
            let fiber = try #require(jr_fiber_create(64 << 10, Self.countDown, remaining))
            defer { jr_fiber_destroy(fiber) }
            var seen: [Int] = []
            while jr_fiber_is_finished(fiber) == 0 {
                #expect(jr_fiber_resume(fiber) == 0)
                seen.append(remaining.pointee)
            }
            #expect(seen == [2, 1, 0, 0])
            #expect(jr_fiber_resume(fiber) == -1)
            #expect(jr_fiber_is_suspended(fiber) == 0)
        }

        @Test("Bad fiber requests are refused with errno, not crashes")
        func badRequestsAreRefused() throws {
            #expect(jr_fiber_create(1024, Self.countDown, nil) == nil)
            let remaining = UnsafeMutablePointer<Int>.allocate(capacity: 1)
            defer { remaining.deallocate() }
            remaining.pointee = 1
            let fiber = try #require(jr_fiber_create(64 << 10, Self.countDown, remaining))
            #expect(jr_fiber_yield(fiber) == -1)  // not running
            #expect(jr_fiber_destroy(fiber) == 0)
        }

        @Test("A fiber suspended inside JIT code is walked from outside: every JIT return address, on its own stack",
              arguments: WXStrategy.allCases)
        func suspendedFiberWalk(strategy: WXStrategy) throws {
            let region = try makeRegion(strategy: strategy, registersWithUnwinder: true)
            let chain = try JITChain(steps: UnwinderTests.UnwindThroughJITTests.steps, leaf: .yieldFiber, in: region)
            defer { chain.deallocate() }
            let fiber = try #require(jr_fiber_create(256 << 10, Self.runChain, chain.links))
            defer { jr_fiber_destroy(fiber) }
            chain.attach(fiber)

            #expect(jr_fiber_resume(fiber) == 0)
            try #require(jr_fiber_is_suspended(fiber) == 1)
            let walk = jr_unwind_walk_context(jr_fiber_saved_context(fiber), chain.frames, chain.capacity, 0)
            #expect(walk.end == JR_WALK_COMPLETE)
            let frames = (0..<max(0, walk.count)).map { chain.frames[$0] }
            // jr_fiber_yield, the leaf, one frame per step, the entry, the start routine.
            try #require(frames.count >= UnwinderTests.UnwindThroughJITTests.steps.count + 3)
            #expect(frames.map(\.ip).filter { region.contains(returnAddress: $0) } == chain.jitReturnAddresses)

            var low: UInt = 0, high: UInt = 0
            jr_fiber_stack_bounds(fiber, &low, &high)
            for (index, frame) in frames.enumerated() where index > 0 {
                #expect((low..<high).contains(frame.sp), "frame \(index) is off the fiber's stack")
                #expect(frame.ip_slot == frame.sp - 8)
                #expect(UnsafePointer<UInt>(bitPattern: frame.ip_slot)?.pointee == frame.ip)
            }
            let entry = UInt(bitPattern: unsafeBitCast(Self.runChain, to: Int.self))
            let outerIndex = UnwinderTests.UnwindThroughJITTests.steps.count + 2
            #expect(frames[outerIndex].ip > entry && frames[outerIndex].ip < entry + 64,
                    "the frame below the chain is the fiber's entry")

            #expect(jr_fiber_resume(fiber) == 0)
            #expect(jr_fiber_is_finished(fiber) == 1)
            #expect(chain.links[0].fiber_result == 5 + 7)  // the leaf's 5, +1 per C relay and per JIT frame
        }
    }
}
