/// The page table's per-page records, stored only up to the highest page written so far: a page never
/// written reads as an empty record. Pages are handed out in address order, so a region of thousands of
/// pages costs no memory (and a starting process no page faults) for the pages a program never uses.
struct PageRecords: Sequence {
    /// Records of pages 0..<stored.count; every later page's record is `PageRecord()`. Read it directly
    /// (after checking the count) where a lookup is hot.
    private(set) var stored: [PageRecord] = []

    subscript(page: Int) -> PageRecord {
        // Yielded, not returned: a read such as `pages[page].writerHolds` then borrows the record instead of
        // copying it (and retaining its entries array).
        _read {
            if page < stored.count { yield stored[page] } else { yield Self.empty }
        }
        _modify {
            // Appends, not reserveCapacity: pages arrive one at a time and appending grows geometrically.
            while stored.count <= page { stored.append(PageRecord()) }
            yield &stored[page]
        }
    }

    private static let empty = PageRecord()

    /// The pages that may have a non-empty record (every later page's record is empty).
    var storedPages: Range<Int> { 0..<stored.count }

    /// The stored records (every other page's is empty).
    func makeIterator() -> IndexingIterator<[PageRecord]> { stored.makeIterator() }
}
