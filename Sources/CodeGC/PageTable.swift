/// What an indexed code range belongs to.
enum CodeObject: Equatable {
    /// A block's own inline code.
    case block(BlockID)
    /// Extra code a block jumps to (a side exit or return-point exit): keeps the block's code alive but is
    /// never executed as the block's body.
    case reference(BlockID)
    /// A stub.
    case stub(StubID)
}

/// One indexed range on a page.
struct PageEntry {
    var start: UInt
    var end: UInt
    var object: CodeObject
}

/// Per-page bookkeeping: the sorted index of code ranges on the page, and collector state.
struct PageRecord {
    /// Sorted by `start`; ranges of blocks and stubs do not overlap, references may overlap anything.
    var entries: [PageEntry] = []
    /// Longest entry, so a containment search knows how far left to look.
    var longestEntry: UInt = 0
    /// Handed out by the space and not freed.
    var isAllocated = false
    /// Writers currently filling this page (never freed while > 0).
    var writerHolds: Int32 = 0
}

/// Address -> code object lookup: page index by arithmetic, then binary search in the page's sorted list.
struct PageTable {
    let base: UInt
    let pageShift: UInt
    let pageCount: Int
    var pages = PageRecords()

    init(base: UInt, pageSize: Int, pageCount: Int) {
        precondition(pageSize > 0 && pageSize & (pageSize - 1) == 0, "page size must be a power of two")
        self.base = base
        self.pageShift = UInt(pageSize.trailingZeroBitCount)
        self.pageCount = pageCount
    }

    var pageSize: Int { 1 << Int(pageShift) }
    var limit: UInt { base + UInt(pageCount) << pageShift }

    /// The page holding `address`, or nil outside the region.
    @inline(__always)
    func page(of address: UInt) -> Int? {
        guard address >= base, address < limit else { return nil }
        return Int((address - base) >> pageShift)
    }

    func pageStart(_ page: Int) -> UInt { base + UInt(page) << pageShift }

    /// Pages a non-empty range touches.
    func pages(of range: Range<UInt>) -> ClosedRange<Int>? {
        guard let first = page(of: range.lowerBound), let last = page(of: range.upperBound - 1) else { return nil }
        return first...last
    }

    mutating func insert(_ range: Range<UInt>, _ object: CodeObject) {
        guard let span = pages(of: range) else { return }
        let entry = PageEntry(start: range.lowerBound, end: range.upperBound, object: object)
        for page in span {
            // Code is mostly written upwards in a page: appending is the common case (and much cheaper
            // than the general insertion).
            if let last = pages[page].entries.last, last.start > entry.start {
                pages[page].entries.insert(entry, at: firstIndex(onPage: page, startingAtOrAfter: entry.start))
            } else {
                pages[page].entries.append(entry)
            }
            pages[page].longestEntry = max(pages[page].longestEntry, entry.end - entry.start)
        }
    }

    mutating func remove(_ range: Range<UInt>, _ object: CodeObject) {
        guard let span = pages(of: range) else { return }
        for page in span {
            var index = firstIndex(onPage: page, startingAtOrAfter: range.lowerBound)
            while index < pages[page].entries.count, pages[page].entries[index].start == range.lowerBound {
                if pages[page].entries[index].object == object {
                    pages[page].entries.remove(at: index)
                    break
                }
                index += 1
            }
        }
    }

    /// First index whose entry starts at or after `address`.
    func firstIndex(onPage page: Int, startingAtOrAfter address: UInt) -> Int {
        guard page < pages.stored.count else { return 0 }
        var low = 0
        var high = pages.stored[page].entries.count
        while low < high {
            let middle = (low + high) / 2
            if pages.stored[page].entries[middle].start < address { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Calls `body` with every indexed object whose range contains `address`.
    @inline(__always)
    func forEachObject(containing address: UInt, _ body: (CodeObject) -> Void) {
        guard let page = page(of: address), page < pages.stored.count else { return }
        let record = pages.stored[page]
        var index = firstIndex(onPage: page, startingAtOrAfter: address + 1) - 1
        let reach = record.longestEntry
        while index >= 0 {
            let entry = record.entries[index]
            if entry.start + reach <= address { break }
            if address < entry.end { body(entry.object) }
            index -= 1
        }
    }
}
