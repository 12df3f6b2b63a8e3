import CodeGC
import CodeMemory
import GuestJIT

/// The code region over a run (`jitstack pages`): a snapshot of every page before each code GC and at
/// the end, and what each GC freed and why.
struct CodePageTimeline {
    /// A page's state in a snapshot (one letter in the text map).
    enum State: UInt8, CaseIterable {
        case uncommitted, free, live, invalidated, pinned, writing, shared

        var letter: Character {
            switch self {
            case .uncommitted: "."
            case .free: "f"
            case .live: "L"
            case .invalidated: "i"
            case .pinned: "P"
            case .writing: "W"
            case .shared: "S"
            }
        }

        var name: String {
            switch self {
            case .uncommitted: "uncommitted"
            case .free: "free"
            case .live: "live"
            case .invalidated: "invalidated"
            case .pinned: "pinned"
            case .writing: "writing"
            case .shared: "shared"
            }
        }

        /// What the letter means, for legends.
        var meaning: String {
            switch self {
            case .uncommitted: "never used"
            case .free: "freed, on the free list"
            case .live: "live code"
            case .invalidated: "only invalidated code, no frame in it (freed by the next GC)"
            case .pinned: "only invalidated code, kept by a frame that returns into it"
            case .writing: "being written (the JIT's current page)"
            case .shared: "shared code (entry trampoline, exits)"
            }
        }
    }

    /// One page in detail.
    struct PageDetail {
        var page: Int
        var state: State
        var inlineUsed: Int
        var outlinedUsed: Int
        /// Block labels on the page (`fib pc 0...12 live`).
        var owners: [String]
        var liveBlocks: Int
        var invalidatedBlocks: Int
        /// Whether some stack frame returns into the page.
        var hasFrames: Bool
    }

    struct Snapshot {
        /// `start`, `before GC 3`, `end`.
        var label: String
        /// Code GCs finished before it.
        var gcCount: Int
        var states: [State]
    }

    struct FreedPage {
        var page: Int
        var held: [String]
        var why: String
    }

    struct GCEvent {
        var number: Int
        /// `requested` (JIT.code_gc, --stress-gc, JIT.discard_all) or `allocation` (region full or occupancy).
        var reason: String
        var freed: [FreedPage]
        /// Pages a stack kept that held only invalidated code.
        var pinned: [Int]
    }

    let pageCount: Int
    let pageSize: Int
    private(set) var snapshots: [Snapshot] = []
    private(set) var events: [GCEvent] = []
    /// Pages in detail at the last snapshot (the end of the run once finished).
    private(set) var details: [PageDetail] = []
    /// Snapshots kept at most (each GC's event is always kept).
    let snapshotLimit = 2000
    private(set) var snapshotsDropped = 0

    init(region: CodeRegion) {
        pageCount = region.pageCount
        pageSize = region.pageSize
    }

    /// Highest page index ever committed, plus one (what maps and pictures show).
    var usedPageCount: Int {
        var high = 0
        for snapshot in snapshots {
            if let last = snapshot.states.lastIndex(where: { $0 != .uncommitted }) { high = max(high, last + 1) }
        }
        return max(high, 1)
    }

    /// Takes a snapshot of `jit`'s region; `pinned` are the pages stacks return into now.
    mutating func snapshot(_ label: String, jit: GuestJIT, blocks: CompiledBlockTable, pinned: Set<Int>) {
        var states = [State](repeating: .uncommitted, count: pageCount)
        var newDetails: [PageDetail] = []
        let writing = jit.pageBeingWritten
        jit.region.forEachPage { index, regionState in
            let page = index.rawValue
            switch regionState {
            case .uncommitted: states[page] = .uncommitted
            case .free: states[page] = .free
            case .live:
                let onPage = blocks.blocks(on: page).compactMap { entry -> (String, Bool)? in
                    guard let info = jit.gc.info(entry.block) else { return nil }
                    // A shared body without users counts as invalidated: its methods were redefined or removed.
                    return (entry.label, info.state == .live && !jit.isUnusedSharedCode(of: info.owner))
                }
                let live = onPage.filter(\.1).count
                let invalidated = onPage.count - live
                let state: State
                if page == jit.sharedCodePage {
                    state = .shared
                } else if page == writing {
                    state = .writing
                } else if live == 0 && invalidated > 0 {
                    state = pinned.contains(page) ? .pinned : .invalidated
                } else {
                    state = .live
                }
                states[page] = state
                newDetails.append(PageDetail(
                    page: page, state: state, inlineUsed: jit.region.used(.inline, of: index),
                    outlinedUsed: jit.region.used(.outlined, of: index),
                    owners: onPage.map { "\($0.0) \($0.1 ? "live" : "invalidated")" },
                    liveBlocks: live, invalidatedBlocks: invalidated, hasFrames: pinned.contains(page)))
            }
        }
        details = newDetails
        if snapshots.count < snapshotLimit {
            snapshots.append(Snapshot(label: label, gcCount: jit.gc.collectionCount, states: states))
        } else {
            snapshotsDropped += 1
        }
    }

    /// GC `number` freed `pages`; the last snapshot (taken as it began) says what they held.
    mutating func recordFreed(_ pages: [Int], gcNumber: Int, reason: String) {
        let byPage = Dictionary(details.map { ($0.page, $0) }, uniquingKeysWith: { first, _ in first })
        var freed: [FreedPage] = []
        for page in pages {
            let detail = byPage[page]
            let why: String
            switch detail?.state {
            case .invalidated?, .pinned?:
                why = "all its code was invalidated (method redefined or removed) and no frame returns into it"
            case .live? where (detail?.liveBlocks ?? 0) > 0:
                why = "its blocks became unreachable (not entered from a live method, branch or frame) or were evicted"
            default:
                why = "no live block, branch or frame reached it (stubs and exits only)"
            }
            freed.append(FreedPage(page: page, held: detail?.owners ?? [], why: why))
        }
        let pinned = details.filter { $0.state == .pinned }.map(\.page)
        if let index = events.lastIndex(where: { $0.number == gcNumber }) {
            events[index].freed += freed
        } else {
            events.append(GCEvent(number: gcNumber, reason: reason, freed: freed, pinned: pinned))
        }
    }

    /// A GC `number` that began (its event exists even if it frees nothing).
    mutating func recordStart(gcNumber: Int, reason: String) {
        let pinned = details.filter { $0.state == .pinned }.map(\.page)
        events.append(GCEvent(number: gcNumber, reason: reason, freed: [], pinned: pinned))
    }
}
