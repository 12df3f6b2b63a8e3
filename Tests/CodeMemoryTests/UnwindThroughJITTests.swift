import CShims
import CTestFixtures
import CodeMemory
import Testing

/// Every test that registers a region or walks through one runs in here, one at a time: libunwind reads its
/// registration list without a lock, so a cancel must never overlap a walk.
@Suite("Tests that use libunwind's registration list", .serialized)
enum UnwinderTests {}

extension UnwinderTests {
    @Suite("libunwind walks exactly through registered JIT frames")
    struct UnwindThroughJITTests {
        /// Swift -> JIT(0) -> JIT(32, outlined) -> C -> JIT(4096) -> JIT(16) -> C -> JIT(48, outlined) -> C leaf.
        static let steps: [JITChain.Step] = [
            .jit(.init(localBytes: 0, half: .inline)),
            .jit(.init(localBytes: 32, half: .outlined)),
            .cRelay,
            .jit(.init(localBytes: 4096, half: .inline)),
            .jit(.init(localBytes: 16, half: .inline)),
            .cRelay,
            .jit(.init(localBytes: 48, half: .outlined)),
        ]

        @Test("Every JIT return address is found in order, and the walk reaches the Swift caller",
              arguments: WXStrategy.allCases, [JITChain.Leaf.walkCurrent, .walkSavedContext])
        func walkFindsEveryJITReturnAddress(strategy: WXStrategy, leaf: JITChain.Leaf) throws {
            let region = try makeRegion(strategy: strategy, registersWithUnwinder: true)
            #expect(region.isRegisteredWithUnwinder)
            let chain = try JITChain(steps: Self.steps, leaf: leaf, in: region)
            defer { chain.deallocate() }
            let walk = runChainNextToMarkerWalk(chain)
            #expect(walk.chainEnd == JR_WALK_COMPLETE)

            // Frames: leaf, then one per step (innermost first), then the Swift function.
            let frames = walk.chainFrames
            try #require(frames.count > Self.steps.count + 1)
            let inRegion = frames.map(\.ip).filter { region.contains(returnAddress: $0) }
            #expect(inRegion == chain.jitReturnAddresses)
            let stepIPs = frames[1...Self.steps.count].map(\.ip)
            let expectedJIT = Self.steps.reversed().map { step -> Bool in if case .jit = step { true } else { false } }
            #expect(stepIPs.map { region.contains(returnAddress: $0) } == expectedJIT)

            // Each return address sits where the walk says: in the slot just below its frame's sp (the word the
            // call pushed), as read while the leaf was still running.
            let slots = chain.slotContents
            for index in 1..<frames.count {
                #expect(frames[index].ip_slot == frames[index].sp - 8)
                #expect(slots[index] == frames[index].ip)
            }

            // Below the last JIT frame: the Swift function at the marker's sp, then exactly the marker's callers.
            let swiftIndex = Self.steps.count + 1
            let marker = walk.swiftFrames
            try #require(marker.count > 1)
            #expect(frames[swiftIndex].sp == marker[0].sp)
            let callers = Array(frames[(swiftIndex + 1)...].map(\.ip))
            #expect(callers == Array(marker[1...].map(\.ip)))
            #expect(walk.result == frames.count + 7)  // the leaf's count, +1 per C relay and per JIT frame
            try expectNoWritableExecutableMapping()
        }

        @Test("Without registration the same walk goes wrong (negative control)")
        func unregisteredRegionIsWalkedWrongly() throws {
            let region = try makeRegion(registersWithUnwinder: false)
            let chain = try JITChain(steps: Self.steps, in: region)
            defer { chain.deallocate() }
            let walk = runChainNextToMarkerWalk(chain)
            let found = walk.chainFrames.map(\.ip).filter { region.contains(returnAddress: $0) }
            let swiftIndex = Self.steps.count + 1
            let reachedSwift = walk.chainFrames.count > swiftIndex && walk.swiftFrames.count > 0
                && walk.chainFrames[swiftIndex].sp == walk.swiftFrames[0].sp
            #expect(found != chain.jitReturnAddresses || !reachedSwift)
        }

        @Test("unw_backtrace finds the same return addresses as unw_step through registered JIT code")
        func backtraceMatchesStepWalk() throws {
            let region = try makeRegion(registersWithUnwinder: true)
            let chain = try JITChain(steps: Self.steps, in: region)
            defer { chain.deallocate() }
            let walk = runChainNextToMarkerWalk(chain)
            // Both walks start in the leaf (at different call sites): every frame below it must agree.
            let fast = chain.backtrace
            try #require(fast.count > Self.steps.count + 1)
            #expect(Array(fast.dropFirst()) == walk.chainFrames.dropFirst().map(\.ip))
            #expect(fast.filter { region.contains(returnAddress: $0) } == chain.jitReturnAddresses)
        }
    }
}
