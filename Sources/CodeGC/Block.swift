/// Handle of a compiled block: stays detectably stale (``CodeGC/contains(_:)-(BlockID)`` is false) once the
/// collector has freed the block's metadata.
public struct BlockID: Hashable, Sendable, CustomStringConvertible {
    /// A packed index and generation; never 0.
    public let rawValue: UInt64

    /// Rebuilds a handle from ``rawValue`` (e.g. one stored by the client).
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    init(_ handle: SlotHandle) { rawValue = handle.rawValue }
    var handle: SlotHandle { SlotHandle(rawValue: rawValue) }

    /// `block <index>.<generation>`.
    public var description: String { "block \(handle.index).\(handle.generation)" }
}

/// Whether a block may still be entered.
public enum BlockState: Sendable, Equatable {
    /// Entered through its entry registration and incoming branches.
    case live
    /// Not entrant: entry removed, incoming branches repointed to stubs, return points patched to exits.
    /// Its bytes stay intact until the collector proves no frame can return into it.
    case invalidated
}

/// What CodeGC knows of one block. One record per block, freed by the sweep that finds it unreachable.
struct BlockRecord: SlotRecord {
    static var vacant: BlockRecord { BlockRecord(owner: CodeOwnerID(0), key: 0, ranges: InlineList()) }

    var owner: CodeOwnerID
    /// The client's description of what the block compiles (e.g. a version key): copied into stubs that
    /// replace branches into this block when it is invalidated, so the stub knows what to compile again.
    var key: UInt64
    /// Inline code, in execution order; `ranges[0].lowerBound` is the entry address.
    var ranges: InlineList<Range<UInt>>
    var state: BlockState = .live
    var isEntry = false
    var outgoing = InlineList<BranchID>()
    /// Live branches whose target is this block (one element per branch even if both targets point here).
    /// Lists are inline up to two elements (a tiny method has one side-exit range and few return points):
    /// registering and freeing such a block allocates nothing.
    var incoming = InlineList<BranchID>()
    /// Other code this block jumps to (side exits, return-point exits), possibly on other pages.
    var references = InlineList<Range<UInt>>()
    var returnPoints = InlineList<ReturnPoint>()

    var entryAddress: UInt { ranges[0].lowerBound }

    /// Approximate heap bytes of this record (counted in `metadata_bytes`).
    var footprint: Int {
        MemoryLayout<BlockRecord>.stride
            + ranges.spilledBytes + outgoing.spilledBytes + references.spilledBytes
            + incoming.spilledBytes + returnPoints.spilledBytes
    }
}

/// A snapshot of one block's metadata, for clients, tools and tests.
public struct BlockInfo: Sendable, Equatable {
    /// The owner given at registration.
    public var owner: CodeOwnerID
    /// The client key given at registration.
    public var key: UInt64
    /// Inline code ranges, entry first.
    public var ranges: [Range<UInt>]
    /// Live or invalidated.
    public var state: BlockState
    /// Whether the block is currently an entry of its owner.
    public var isEntry: Bool
    /// Branches leaving the block.
    public var outgoing: [BranchID]
    /// Live branches into the block.
    public var incoming: [BranchID]
    /// Extra code the block jumps to (side exits, return-point exits).
    public var references: [Range<UInt>]
    /// Registered return points.
    public var returnPoints: [ReturnPoint]
}
