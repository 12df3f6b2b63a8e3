import CodeGC
import GuestJIT

/// What the JIT compiled, as tools name it: each block's method, ISEQ pc range and pages, by block and
/// by page. Kept in step with the collector: a freed page drops its blocks.
struct CompiledBlockTable {
    struct Entry {
        var block: BlockID
        /// The method (or block/class body) label, e.g. `fib` or `block in each`.
        var method: String
        var pcs: ClosedRange<Int>
        var ranges: [Range<UInt>]
        var pages: [Int]
        /// The ISEQ's identity, to find its resume pcs.
        var iseqAddress: UInt

        /// `fib pc 0...12`, also the perf-map and GDB name (with a `jit:` prefix: `CodeName.block`).
        var label: String { "\(method) pc \(pcs.lowerBound)...\(pcs.upperBound)" }
    }

    private(set) var entries: [UInt64: Entry] = [:]
    private(set) var blocksByPage: [Int: [UInt64]] = [:]

    mutating func add(_ entry: Entry) {
        entries[entry.block.rawValue] = entry
        for page in Set(entry.pages) { blocksByPage[page, default: []].append(entry.block.rawValue) }
    }

    func entry(_ block: BlockID) -> Entry? { entries[block.rawValue] }

    /// Blocks whose code lies on `page` (records not yet pruned included).
    func blocks(on page: Int) -> [Entry] { (blocksByPage[page] ?? []).compactMap { entries[$0] } }

    /// Forgets blocks the collector freed (their page was freed, or their metadata swept).
    mutating func pageFreed(_ page: Int) {
        for raw in blocksByPage.removeValue(forKey: page) ?? [] {
            guard let entry = entries.removeValue(forKey: raw) else { continue }
            for other in entry.pages where other != page { blocksByPage[other]?.removeAll { $0 == raw } }
        }
    }

    /// Drops records of blocks the collector no longer knows (swept on a page that stayed).
    mutating func prune(_ gc: CodeGC) {
        for (raw, entry) in entries where !gc.contains(entry.block) {
            entries[raw] = nil
            for page in entry.pages { blocksByPage[page]?.removeAll { $0 == raw } }
        }
    }
}
