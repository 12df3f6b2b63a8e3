import CShims
import CTestFixtures
import CodeMemory

/// Where each hand-encoded JIT frame of a chain goes and how many bytes of locals it has.
struct JITFramePlan {
    let localBytes: UInt32
    let half: PageHalf
}

/// A call chain Swift -> JIT -> ... -> C leaf that walks the stack, built in a region. Its links alternate as
/// planned: `.jit` frames are hand-encoded rbp frames; `.cRelay` frames are frame-pointer-less C.
struct JITChain {
    enum Step {
        case jit(JITFramePlan)
        case cRelay
    }

    let links: UnsafeMutablePointer<fixture_link>
    let linkCount: Int
    /// Return addresses of the JIT frames' calls, innermost first (the order a walk meets them).
    let jitReturnAddresses: [UInt]
    let capacity = 512
    let frames: UnsafeMutablePointer<jr_native_frame>
    let addresses: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    let slotValues: UnsafeMutablePointer<UInt>

    /// How the leaf walks: from its running state, or from a context it saved with getcontext.
    enum Leaf {
        case walkCurrent
        case walkSavedContext
        /// Suspends the fiber set with `attach(_:)`; walk it from outside.
        case yieldFiber
    }

    init(steps: [Step], leaf leafKind: Leaf = .walkCurrent, in region: CodeRegion) throws {
        linkCount = steps.count + 1
        links = .allocate(capacity: linkCount)
        frames = .allocate(capacity: capacity)
        addresses = .allocate(capacity: capacity)
        slotValues = .allocate(capacity: capacity)
        var returns: [UInt] = []
        let cRelay: fixture_link_function = fixture_call_next_without_frame_pointer
        let leaf: fixture_link_function = switch leafKind {
        case .walkCurrent: fixture_walk_without_frame_pointer
        case .walkSavedContext: fixture_walk_saved_context_without_frame_pointer
        case .yieldFiber: fixture_yield_without_frame_pointer
        }
        for (position, step) in steps.enumerated() {
            var function = cRelay
            if case .jit(let plan) = step {
                let page = try region.allocatePage()
                let (code, returnOffset) = MachineCode.chainLink(localBytes: plan.localBytes)
                let entry = try region.emit(code, alignment: 16, in: plan.half, of: page)
                returns.append(entry + UInt(returnOffset))
                function = unsafeBitCast(UnsafeRawPointer(bitPattern: entry)!, to: fixture_link_function.self)
            }
            links[position] = fixture_link(
                function: function, next: links + position + 1, frames: nil, capacity: 0,
                result: jr_walk_result(), slot_values: nil, addresses: nil, address_count: 0, fiber: nil,
                fiber_result: 0)
        }
        links[steps.count] = fixture_link(
            function: leaf, next: nil, frames: frames, capacity: capacity, result: jr_walk_result(),
            slot_values: slotValues, addresses: addresses, address_count: 0, fiber: nil, fiber_result: 0)
        jitReturnAddresses = returns.reversed()
    }

    /// What each walked frame's ip_slot held while the leaf ran.
    var slotContents: [UInt] { (0..<Int(max(0, walk.count))).map { slotValues[$0] } }

    /// Gives a `.yieldFiber` leaf the fiber to suspend.
    func attach(_ fiber: OpaquePointer) { links[linkCount - 1].fiber = fiber }

    var walk: jr_walk_result { links[linkCount - 1].result }

    func frame(_ index: Int) -> jr_native_frame { frames[index] }

    func deallocate() {
        links.deallocate()
        frames.deallocate()
        addresses.deallocate()
        slotValues.deallocate()
    }

    /// The leaf's unw_backtrace return addresses.
    var backtrace: [UInt] {
        (0..<Int(max(0, links[linkCount - 1].address_count))).map { UInt(bitPattern: addresses[$0]) }
    }
}

/// A chain's walk next to a walk taken directly in the Swift function that ran the chain.
struct ChainWalk {
    var chainFrames: [jr_native_frame]
    var chainEnd: jr_walk_end
    var swiftFrames: [jr_native_frame]
    var result: Int
}

/// Walks the stack here (the marker), then runs the chain from this same frame, so the chain's walk must
/// reach this function's frame at the same sp and then the same callers as the marker.
@inline(never)
func runChainNextToMarkerWalk(_ chain: JITChain) -> ChainWalk {
    let marker = UnsafeMutablePointer<jr_native_frame>.allocate(capacity: 512)
    defer { marker.deallocate() }
    let markerWalk = jr_unwind_walk_current(marker, 512, 0)
    let result = chain.links[0].function(chain.links)
    let walk = chain.walk
    return ChainWalk(
        chainFrames: (0..<max(0, walk.count)).map { chain.frames[$0] }, chainEnd: walk.end,
        swiftFrames: (0..<max(0, markerWalk.count)).map { marker[$0] }, result: result)
}
