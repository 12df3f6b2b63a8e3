/// Handle of a stub: outlined code that calls the client's stub handler with ``rawValue`` to compile a
/// branch target on first use.
///
/// ## Lifetimes (why stub hits never touch freed metadata)
/// A stub's metadata refers to its branch's metadata, and a branch's metadata is freed only once its source
/// block is freed *and* every stub referring to it has been freed; a stub's metadata is freed only together
/// with the stub's page. A thread executing a stub handler has the stub's return address on its native
/// stack, which pins the stub's page, so while it runs neither the stub's nor the branch's metadata can go.
///
/// The seed's race: threads A and B hit the same stub; A takes the lock, compiles the target, runs the new
/// code, invalidates the block holding the branch and reaches a collection while B still waits for the lock
/// inside the handler. B's stack (a parked thread's saved context, supplied through ``CodeGCRoots``) holds
/// the return address into the stub, so the stub's page survives the collection and with it the stub and
/// branch records. When B finally calls ``CodeGC/stubHit(_:)`` it gets ``StubHit/branchInvalidated(_:)``
/// (the branch's source was invalidated: exit to the interpreter) or ``StubHit/resolved(_:)`` (A already
/// linked the target: jump there), never freed memory. Handles are generational besides, so even a stub
/// whose page was freed answers ``StubHit/stale`` instead of reading a reused slot.
public struct StubID: Hashable, Sendable, CustomStringConvertible {
    /// A packed index and generation; never 0. Embed it in the stub's code as the handler's argument.
    public let rawValue: UInt64

    /// Rebuilds a handle from the value the stub passed to the handler.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    init(_ handle: SlotHandle) { rawValue = handle.rawValue }
    var handle: SlotHandle { SlotHandle(rawValue: rawValue) }

    /// `stub <index>.<generation>`.
    public var description: String { "stub \(handle.index).\(handle.generation)" }
}

/// Metadata of one stub.
struct StubRecord: SlotRecord {
    static var vacant: StubRecord { StubRecord(range: 0..<0, branch: BranchID(rawValue: 0), targetIndex: 0, key: 0) }

    var range: Range<UInt>
    var branch: BranchID
    var targetIndex: Int
    var key: UInt64
    var markEpoch: UInt32 = 0

    var footprint: Int { MemoryLayout<StubRecord>.stride }
}

/// What a stub hit should do, decided under the client's lock.
public enum StubHit: Sendable, Equatable {
    /// The branch still jumps to this stub: compile the target described by the request, then
    /// ``CodeGC/linkBranch(_:target:to:)`` and continue in the new block.
    case compile(StubRequest)
    /// Another thread already linked the branch target to this block: continue at its entry.
    case resolved(BlockID)
    /// The branch's source block was invalidated or freed: do not link; exit to the interpreter (the key
    /// says where).
    case branchInvalidated(key: UInt64)
    /// The stub's metadata is gone (only possible if a stack holding it was not reported as a root).
    case stale
}

/// Everything the client needs to generate or service a stub for one branch target.
public struct StubRequest: Sendable, Equatable {
    /// The branch whose target the stub stands for.
    public var branch: BranchID
    /// Which target of the branch (0 or 1).
    public var targetIndex: Int
    /// The client key of the target.
    public var key: UInt64
    /// The block the branch leaves.
    public var sourceBlock: BlockID
    /// The owner of the source block.
    public var owner: CodeOwnerID
}
