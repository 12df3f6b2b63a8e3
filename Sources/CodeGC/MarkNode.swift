/// What marking needs of one block, 16 bytes in a dense array indexed by block slot (four per cache line):
/// the page its code lies on and where its branch targets lead (its *edges*). Following a block reads this
/// one node, never the block's record nor a generation: every mutation that could leave an edge naming a
/// freed block clears it (see ``GraphStore``), so an edge's slot is always a live block.
///
/// Each branch target of the block has an edge *position*: the block's branches in registration order,
/// their targets in order. Positions 0 and 1 are always in the node, position 2 too when the block has
/// exactly three. A block with more positions holds ``MarkEdge/fromRecords`` in `edge2`, and marking
/// reads positions 2 and on from the branch records (the rare case).
struct MarkNode {
    /// `page` of a block whose code or references lie on more than one page: marking reads its record.
    static let severalPages = UInt32.max
    static let empty = MarkNode(page: severalPages, edge0: MarkEdge.none, edge1: MarkEdge.none, edge2: MarkEdge.none)

    /// The one page holding the block's code and references, or ``severalPages``.
    var page: UInt32
    var edge0: UInt32
    var edge1: UInt32
    var edge2: UInt32

    /// Nodes per 64-byte cache line (the array is line-aligned, see ``DenseArray``).
    static let perCacheLine = 4

    /// Positions held in the node itself.
    static let inlinePositions = 3

    /// The edge at `position` (below ``inlinePositions``).
    subscript(position: Int) -> UInt32 {
        @inline(__always) get {
            switch position {
            case 0: return edge0
            case 1: return edge1
            default: return edge2
            }
        }
        @inline(__always) set {
            switch position {
            case 0: edge0 = newValue
            case 1: edge1 = newValue
            default: edge2 = newValue
            }
        }
    }
}

/// The encoding of one edge of a ``MarkNode`` in 32 bits.
enum MarkEdge {
    /// No target to keep (unlinked, or a fixed address outside the region).
    static let none = UInt32.max
    /// Read the branch records: in `edge0`/`edge1` for that position (e.g. a stub spanning two pages), in
    /// `edge2` for positions 2 and on.
    static let fromRecords = UInt32.max - 1
    /// Set on an edge that keeps a page (a stub's or a fixed exit's) rather than following a block.
    static let pageFlag: UInt32 = 1 << 31

    /// Below this: a block slot to follow.
    @inline(__always)
    static func isBlock(_ edge: UInt32) -> Bool { edge < pageFlag }

    /// At or above ``pageFlag`` and below ``fromRecords``: a page to keep.
    @inline(__always)
    static func isPage(_ edge: UInt32) -> Bool { edge >= pageFlag && edge < fromRecords }

    static func block(slot: Int) -> UInt32 {
        precondition(slot < Int(pageFlag), "block slots exceed the marking edge encoding")
        return UInt32(slot)
    }

    static func page(_ page: Int) -> UInt32 {
        precondition(page < Int(fromRecords & ~pageFlag), "pages exceed the marking edge encoding")
        return pageFlag | UInt32(page)
    }
}
