/// Handle of a branch (a control transfer out of a block with one or two patchable targets).
public struct BranchID: Hashable, Sendable, CustomStringConvertible {
    /// A packed index and generation; never 0.
    public let rawValue: UInt64

    /// Rebuilds a handle from ``rawValue``.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    init(_ handle: SlotHandle) { rawValue = handle.rawValue }
    var handle: SlotHandle { SlotHandle(rawValue: rawValue) }

    /// `branch <index>.<generation>`.
    public var description: String { "branch \(handle.index).\(handle.generation)" }
}

/// Where one target of a branch currently jumps.
public enum BranchDestination: Sendable, Equatable {
    /// Not linked yet: the jump still goes wherever the client assembled it.
    case unlinked
    /// A compiled block (its entry address).
    case block(BlockID)
    /// A stub in outlined code that compiles the target when hit.
    case stub(StubID)
    /// Fixed code the client owns (an exit); if it lies in the region, its page is kept by the branch.
    case address(UInt)
}

/// Lifecycle of a branch's metadata.
public enum BranchState: Sendable, Equatable {
    /// Its source block is live: the branch keeps its targets alive and is repointed when they are invalidated.
    case live
    /// Its source block was invalidated: the branch no longer keeps targets alive and is never patched again.
    /// A stub hit on it reports ``StubHit/branchInvalidated(_:)``.
    case invalidated
    /// Its source block's metadata was freed; the record stays only because a stub still refers to it, and
    /// goes when the last such stub's page is freed.
    case orphaned
}

/// One target of a branch: the jump instruction to patch, the client's key of what it leads to, and
/// where it jumps now.
struct BranchTarget {
    /// First byte of the patchable `jmp`/`jcc rel32` that transfers to this target.
    var jumpAddress: UInt
    /// The client's description of the target (what a stub must compile).
    var key: UInt64
    var destination: BranchDestination
}

/// Metadata of one branch.
struct BranchRecord: SlotRecord {
    static var vacant: BranchRecord { BranchRecord(source: BlockID(rawValue: 0), targets: InlineList()) }

    var source: BlockID
    var state: BranchState = .live
    var targets: InlineList<BranchTarget>
    /// Stubs whose metadata refers to this branch and is not yet freed: the record cannot go before them.
    var stubReferences = 0

    var footprint: Int {
        MemoryLayout<BranchRecord>.stride + targets.spilledBytes
    }
}

/// How the client describes a branch target when it registers a branch.
public struct BranchTargetSpec: Sendable, Equatable {
    /// First byte of the patchable `jmp`/`jcc rel32` (emitted with X86Assembler's patchable jumps).
    public var jumpAddress: UInt
    /// The client's description of the target (e.g. a block version key), handed back on stub hits.
    public var key: UInt64

    /// Describes one target.
    public init(jumpAddress: UInt, key: UInt64) {
        self.jumpAddress = jumpAddress
        self.key = key
    }
}

/// A snapshot of one branch's metadata.
public struct BranchInfo: Sendable, Equatable {
    /// The block the branch leaves.
    public var source: BlockID
    /// Live, invalidated or orphaned.
    public var state: BranchState
    /// Current destinations, one per target.
    public var destinations: [BranchDestination]
    /// Client keys, one per target.
    public var keys: [UInt64]
}
