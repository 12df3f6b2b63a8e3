import CShims

/// One executable region of fixed-size code pages, reserved up front and committed page by page.
///
/// Each page holds inline code, bump-allocated up from its start, and outlined code (side exits, stubs),
/// bump-allocated in a window at the top whose size follows the recent share of outlined bytes (see
/// `PageLayout`): pages fill up whatever the mix of code, with no fixed half left mostly empty. A writer
/// that needs more room than a page's parts have asks ``makeRoom(inline:outlined:in:)`` at a point where no
/// code is being assembled for the page; it re-divides the page's free middle. Code runs at (and stacks hold)
/// addresses of the RX view; writes go through the RW view (`.dualMapping`) or a temporary RW switch
/// (`.mprotectToggle`). No mapping is ever writable and executable at once. Fresh and freed pages hold INT3
/// (0xCC); freeing a page returns its memory to the OS and puts it on a free list for reuse.
///
/// Thread safety: mutating calls (`allocatePage`, `freePage`, `allocate`, `emit`, `write`, `patchWord`, ...)
/// must be serialized by the owner (the JIT's lock). Address arithmetic (`contains`, `pageIndex`,
/// `baseAddress`) reads only immutable state and is safe from any thread, e.g. a stack walker.
public final class CodeRegion: @unchecked Sendable {
    /// The configuration the region was created with.
    public let configuration: CodeRegionConfiguration
    /// Bytes per code page (a power of two).
    public let pageSize: Int
    /// Number of pages in the region.
    public let pageCount: Int
    /// First address of the RX view: page 0's base.
    public let executableBase: UInt
    /// One past the last address of the RX view.
    public let executableEnd: UInt

    /// log2(pageSize): page index = (address - executableBase) >> pageShift.
    @usableFromInline let pageShift: Int
    private let mapping: RegionMapping
    private var registration: UnwindRegistration?
    // Not checked for exclusive access at run time: mutating calls are serialized by the owner (see
    // above), and these arrays are read on every emitted instruction's room check.
    @exclusivity(unchecked) private var states: [PageState]
    /// Layouts of the pages handed out so far (indices 0..<nextUncommitted): grown as pages are first used,
    /// so a region of thousands of pages costs no memory, and a process no page faults, for pages it never
    /// uses.
    @exclusivity(unchecked) private var layouts: [PageLayout] = []
    private var outlinedShare: OutlinedShareEstimate
    private var freeList: [Int] = []
    private var nextUncommitted = 0
    /// Pages freed so far: room for code appears only when this grows (or a never-used page is taken).
    public private(set) var freedPageCount = 0

    /// Reserves the region (address space only) and, if configured, registers it with libunwind.
    public init(_ configuration: CodeRegionConfiguration = CodeRegionConfiguration()) throws(CodeMemoryError) {
        let validated = try configuration.validated(osPageSize: Int(jr_os_page_size()))
        let mapping: RegionMapping
        do {
            mapping = try RegionMapping.create(
                regionSize: validated.regionSize, pageSize: validated.pageSize, strategy: validated.strategy)
        } catch { throw .system(error) }
        self.configuration = validated
        self.mapping = mapping
        pageSize = validated.pageSize
        pageCount = validated.regionSize / validated.pageSize
        pageShift = validated.pageSize.trailingZeroBitCount
        executableBase = UInt(bitPattern: mapping.executableBase)
        executableEnd = executableBase + UInt(validated.regionSize)
        states = Array(repeating: .uncommitted, count: pageCount)
        outlinedShare = OutlinedShareEstimate(horizon: 2 * validated.pageSize)
        if validated.registersWithUnwinder {
            do { registration = try UnwindRegistration(low: executableBase, high: executableEnd) } catch {
                mapping.destroy()
                throw .system(error)
            }
        }
    }

    deinit {
        // Unregister before unmapping so no walk can find rules for addresses that are gone.
        registration?.cancel()
        mapping.destroy()
    }

    /// Bytes of address space reserved.
    public var regionSize: Int { configuration.regionSize }

    /// Whether the region is registered with libunwind.
    public var isRegisteredWithUnwinder: Bool { registration != nil }

    // MARK: Pages

    /// Hands out a page: a freed one if any (most recently freed first), else the next never-used one.
    /// The page is live and empty, every byte INT3; its outlined window is sized from the recent share of
    /// outlined code (``outlinedShare``). Throws `.regionFull` when every page is live.
    public func allocatePage() throws(CodeMemoryError) -> PageIndex {
        if let index = freeList.popLast() {
            do { try mapping.recommit(index) } catch {
                freeList.append(index)
                throw .system(error)
            }
            open(index)
            return PageIndex(index)
        }
        guard nextUncommitted < pageCount else { throw .regionFull(pageCount: pageCount) }
        let index = nextUncommitted
        do { try mapping.commit(index) } catch { throw .system(error) }
        nextUncommitted += 1
        open(index)
        return PageIndex(index)
    }

    private func open(_ index: Int) {
        states[index] = .live
        // At most 7/8 of the page: a writer continuing a block on a fresh page can count on an eighth of it
        // for inline code (a page that needs even more outlined room resizes the window with makeRoom).
        let window = min(outlinedShare.window(for: pageSize, headroom: configuration.outlinedHeadroom), pageSize - pageSize / 8)
        let layout = PageLayout(pageSize: pageSize, window: window)
        if index < layouts.count {
            layouts[index] = layout
        } else {
            assert(index == layouts.count, "pages are first handed out in address order")
            layouts.append(layout)
        }
    }

    /// A page's layout; a page never handed out has the untouched one (its outlined window the top half).
    private func layout(_ index: Int) -> PageLayout {
        index < layouts.count ? layouts[index] : PageLayout(pageSize: pageSize, window: pageSize / 2)
    }

    /// Makes sure a live page has `inline` bytes free for inline code and `outlined` bytes free in its
    /// outlined window, re-dividing the page's free middle when needed: an outlined window nothing was
    /// written to yet is resized; a full one is closed and the next window opened below it. Returns false
    /// (changing nothing) when the page cannot give that much: start a new page then.
    ///
    /// Call it only when no code is being assembled for this page: an assembler positioned at a
    /// ``bumpAddress(_:of:alignment:)`` from before the call may no longer match where `emit` puts code.
    public func makeRoom(inline: Int, outlined: Int, in page: PageIndex) -> Bool {
        guard state(of: page) == .live, inline >= 0, outlined >= 0 else { return false }
        // The share predicts the code to come; both parts keep the margins asked for on top of it, so the
        // page ends with about `inline` bytes free inline and `outlined` free in the window.
        return layouts[page.rawValue].carveWindow(inline: inline, outlined: outlined) { space in
            outlinedShare.window(for: max(space - inline - outlined, 0), headroom: outlined)
        }
    }

    /// Makes a live page hold a block of known size: `inline` bytes free for inline code and `outlined`
    /// free in its outlined window. Unlike ``makeRoom(inline:outlined:in:)`` a window it has to cut is no
    /// larger than that (rounded up to the window alignment): the rest of the free middle stays with the
    /// inline part (with `outlined` 0, all of it). Parts that have the room already are left as they are.
    /// Returns false, changing nothing, when the page cannot give that much. Same calling rule as
    /// ``makeRoom(inline:outlined:in:)``.
    public func makeRoom(exactlyInline inline: Int, outlined: Int, in page: PageIndex) -> Bool {
        guard state(of: page) == .live, inline >= 0, outlined >= 0 else { return false }
        return layouts[page.rawValue].carveWindow(inline: inline, outlined: outlined) { _ in outlined }
    }

    /// Whether a page can be handed out without freeing one first (the free list or a never-used page).
    public var hasUnusedPage: Bool { !freeList.isEmpty || nextUncommitted < pageCount }

    /// First fit across pages: the lowest live page, other than `excluded`, with at least `bytes`
    /// unwritten bytes (inline free plus the current window's free tail) that `accepts` (which may carve
    /// the page for its code). Only bytes never handed out can be used: code already on a page, live or
    /// dead, is never overwritten.
    public func firstPage(withRoom bytes: Int, excluding excluded: PageIndex?, where accepts: (PageIndex) -> Bool) -> PageIndex? {
        for index in 0..<nextUncommitted where states[index] == .live && index != excluded?.rawValue {
            guard layouts[index].freeMiddle >= bytes, accepts(PageIndex(index)) else { continue }
            return PageIndex(index)
        }
        return nil
    }

    /// The recent share of outlined bytes in all code allocated (0.25 before any), from which fresh pages'
    /// outlined windows are sized.
    public var recentOutlinedShare: Double { outlinedShare.share }

    /// Frees a live page: its addresses read as INT3 at once, its memory goes back to the OS and it joins the
    /// free list. The caller guarantees no thread will run or return into it. If the final memory return
    /// fails the page is still freed and the error is thrown.
    public func freePage(_ page: PageIndex) throws(CodeMemoryError) {
        let index = try liveIndex(page)
        do {
            try mapping.retire(index) {
                states[index] = .free
                layouts[index] = PageLayout(pageSize: pageSize, window: pageSize / 2)
                freeList.append(index)
                freedPageCount += 1
            }
        } catch { throw .system(error) }
    }

    /// The state of a page, or nil if the index is outside the region.
    public func state(of page: PageIndex) -> PageState? {
        states.indices.contains(page.rawValue) ? states[page.rawValue] : nil
    }

    /// Pages in a given state, in address order.
    public func pages(in state: PageState) -> [PageIndex] {
        states.indices.filter { states[$0] == state }.map(PageIndex.init)
    }

    /// Calls `body` for every page in address order with its state.
    public func forEachPage(_ body: (PageIndex, PageState) throws -> Void) rethrows {
        for index in states.indices { try body(PageIndex(index), states[index]) }
    }

    // MARK: Addresses (inlinable: stack walks and marking call these per frame)

    /// Whether `address` lies in the RX view: `lo <= address < hi`.
    @inlinable
    public func contains(address: UInt) -> Bool { address >= executableBase && address < executableEnd }

    /// Whether a return address belongs to code in the region: `lo < ra <= hi` (the call that pushed it
    /// ends at `ra`, so it may be the last byte of the region; libunwind looks up `ra - 1` too).
    @inlinable
    public func contains(returnAddress: UInt) -> Bool { returnAddress > executableBase && returnAddress <= executableEnd }

    /// The page holding `address`, by arithmetic; nil outside the region.
    @inlinable
    public func pageIndex(containing address: UInt) -> PageIndex? {
        contains(address: address) ? PageIndex(Int((address - executableBase) >> UInt(pageShift))) : nil
    }

    /// The page holding the call that pushed `returnAddress` (the page of `ra - 1`); nil outside the region.
    @inlinable
    public func pageIndex(containingReturnAddress returnAddress: UInt) -> PageIndex? {
        contains(returnAddress: returnAddress) ? pageIndex(containing: returnAddress - 1) : nil
    }

    /// RX address of a page's first byte.
    @inlinable
    public func baseAddress(of page: PageIndex) -> UInt { executableBase + UInt(page.rawValue) << UInt(pageShift) }

    /// RX address range a part of a page allocates from now: the inline part from the page start up to the
    /// outlined window, or the current outlined window (older windows above it are closed).
    public func range(of half: PageHalf, in page: PageIndex) -> Range<UInt> {
        let layout = layout(page.rawValue)
        let base = baseAddress(of: page)
        return half == .inline
            ? base..<base + UInt(layout.windowStart)
            : base + UInt(layout.windowStart)..<base + UInt(layout.windowEnd)
    }

    // MARK: Bump allocation

    /// Bytes already allocated in a part of a live page, every outlined window counted (0 for a page that is
    /// not live).
    public func used(_ half: PageHalf, of page: PageIndex) -> Int {
        guard state(of: page) == .live else { return 0 }
        return half == .inline ? layouts[page.rawValue].inlineUsed : layouts[page.rawValue].outlinedUsed
    }

    /// Bytes still free in a part of a live page: inline up to the outlined window, outlined in the current
    /// window (0 for a page that is not live).
    public func remaining(_ half: PageHalf, of page: PageIndex) -> Int {
        guard state(of: page) == .live else { return 0 }
        return half == .inline ? layouts[page.rawValue].inlineRemaining : layouts[page.rawValue].outlinedRemaining
    }

    /// RX address the next `allocate`/`emit` in a part with this alignment (a power of two) will return if
    /// it fits: assemble code for this address, then `emit` it with the same alignment.
    public func bumpAddress(_ half: PageHalf, of page: PageIndex, alignment: Int = 1) -> UInt {
        let start = range(of: half, in: page).lowerBound + UInt(bumpOffset(half, page.rawValue))
        guard alignment > 1, alignment & (alignment - 1) == 0 else { return start }
        return (start + UInt(alignment - 1)) & ~UInt(alignment - 1)
    }

    /// Bytes allocated so far in the part a bump allocation in `half` uses (inline, or the current window).
    private func bumpOffset(_ half: PageHalf, _ index: Int) -> Int {
        let layout = layout(index)
        return half == .inline ? layout.inlineUsed : layout.windowUsed
    }

    /// Reserves `byteCount` bytes at the bump position of a part, aligned to `alignment` (a power of two; the
    /// padding stays INT3), and returns their RX address. The bytes stay INT3 until written.
    /// Throws `.halfFull` if they do not fit (nothing is allocated then).
    public func allocate(
        _ byteCount: Int, alignment: Int = 1, in half: PageHalf, of page: PageIndex
    ) throws(CodeMemoryError) -> UInt {
        let index = try liveIndex(page)
        guard byteCount >= 0 else { throw .invalidArgument("byteCount \(byteCount) is negative") }
        guard alignment > 0, alignment & (alignment - 1) == 0, alignment <= pageSize else {
            throw .invalidArgument("alignment \(alignment) is not a power of two up to \(pageSize)")
        }
        let used = bumpOffset(half, index)
        let free = half == .inline ? layouts[index].inlineRemaining : layouts[index].outlinedRemaining
        let start = range(of: half, in: page).lowerBound + UInt(used)
        let aligned = (start + UInt(alignment - 1)) & ~UInt(alignment - 1)
        let needed = Int(aligned - start) + byteCount
        guard needed <= free else {
            throw .halfFull(page: page, half: half, requested: needed, remaining: free)
        }
        if half == .inline { layouts[index].inlineUsed += needed } else { layouts[index].windowUsed += needed }
        outlinedShare.record(needed, in: half)
        return aligned
    }

    /// Writes `bytes` at the bump position of a half (aligned to `alignment`) and returns their RX address.
    public func emit(
        _ bytes: UnsafeRawBufferPointer, alignment: Int = 1, in half: PageHalf, of page: PageIndex
    ) throws(CodeMemoryError) -> UInt {
        let address = try allocate(bytes.count, alignment: alignment, in: half, of: page)
        try write(bytes, at: address)
        return address
    }

    /// Writes `bytes` at the bump position of a half (aligned to `alignment`) and returns their RX address.
    public func emit(
        _ bytes: [UInt8], alignment: Int = 1, in half: PageHalf, of page: PageIndex
    ) throws(CodeMemoryError) -> UInt {
        let address = try allocate(bytes.count, alignment: alignment, in: half, of: page)
        try write(bytes, at: address)
        return address
    }

    // MARK: Writing allocated code

    /// Overwrites already-allocated bytes at RX address `address` (through the RW view). Not atomic: use it
    /// for code no thread can be running (fresh code, or a stub not yet linked in); use `patchWord` for live
    /// code.
    public func write(_ bytes: UnsafeRawBufferPointer, at address: UInt) throws(CodeMemoryError) {
        guard bytes.count > 0 else { return }
        let index = try allocatedIndex(address, count: bytes.count)
        do {
            try mapping.withWritable(page: index, executableAddress: address) { destination in
                destination.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
            }
        } catch { throw .system(error) }
    }

    /// Overwrites already-allocated bytes at RX address `address`; see `write(_:at:)` for raw buffers.
    public func write(_ bytes: [UInt8], at address: UInt) throws(CodeMemoryError) {
        // Typed throws cannot cross withUnsafeBytes' untyped closure, so copy through a local result.
        var failure: CodeMemoryError?
        bytes.withUnsafeBytes { buffer in
            do throws(CodeMemoryError) { try write(buffer, at: address) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Atomically replaces the aligned 8-byte word at RX address `address` in a live page: a thread running
    /// nearby sees either the old or the new word, never a mix. This is how a patchable `jmp rel32` (whose
    /// displacement the assembler keeps inside one aligned word) is retargeted while code runs.
    /// (With `.mprotectToggle` the page is briefly not executable: other threads must not run it then.)
    public func patchWord(at address: UInt, to value: UInt64) throws(CodeMemoryError) {
        let index = try patchableIndex(address)
        do {
            try mapping.withWritable(page: index, executableAddress: address) { jr_atomic_store_u64($0, value) }
        } catch { throw .system(error) }
    }

    /// Atomically replaces the aligned word at `address` with `desired` if it still holds `expected`;
    /// returns whether it did (two threads racing to patch the same stub: one wins, one sees false).
    public func compareExchangeWord(
        at address: UInt, expected: UInt64, desired: UInt64
    ) throws(CodeMemoryError) -> Bool {
        let index = try patchableIndex(address)
        do {
            return try mapping.withWritable(page: index, executableAddress: address) {
                jr_atomic_compare_exchange_u64($0, expected, desired) != 0
            }
        } catch { throw .system(error) }
    }

    /// Atomically reads the aligned 8-byte word at RX address `address` in a live page.
    public func loadWord(at address: UInt) throws(CodeMemoryError) -> UInt64 {
        _ = try patchableIndex(address)
        return jr_atomic_load_u64(UnsafeRawPointer(bitPattern: address))
    }

    /// Copies `count` bytes at RX address `address` from live or freed pages (freed pages read as 0xCC).
    public func bytes(at address: UInt, count: Int) throws(CodeMemoryError) -> [UInt8] {
        guard count >= 0 else { throw .invalidArgument("count \(count) is negative") }
        guard count > 0 else { return [] }
        guard let first = pageIndex(containing: address), let last = pageIndex(containing: address + UInt(count) - 1)
        else { throw .notAllocatedCode(address: address, count: count) }
        for index in first.rawValue...last.rawValue where states[index] == .uncommitted {
            throw .notAllocatedCode(address: address, count: count)
        }
        return Array(UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: address), count: count))
    }

    // MARK: Stats

    /// A snapshot of the region's use.
    public var stats: CodeRegionStats {
        var live = 0, free = 0, inline = 0, outlined = 0
        for index in states.indices {
            switch states[index] {
            case .live:
                live += 1
                inline += layouts[index].inlineUsed
                outlined += layouts[index].outlinedUsed
            case .free: free += 1
            case .uncommitted: break
            }
        }
        return CodeRegionStats(
            regionSize: regionSize, pageSize: pageSize, committedBytes: live * pageSize,
            residentBytes: mapping.residentBytes, livePageCount: live, freePageCount: free,
            uncommittedPageCount: pageCount - live - free, inlineBytesUsed: inline, outlinedBytesUsed: outlined)
    }

    // MARK: Checks

    private func liveIndex(_ page: PageIndex) throws(CodeMemoryError) -> Int {
        guard state(of: page) == .live else { throw .pageNotLive(page) }
        return page.rawValue
    }

    /// The page index if [address, address + count) lies in allocated bytes of one part of a live page.
    private func allocatedIndex(_ address: UInt, count: Int) throws(CodeMemoryError) -> Int {
        guard count >= 0, let page = pageIndex(containing: address), states[page.rawValue] == .live else {
            throw .notAllocatedCode(address: address, count: count)
        }
        let offset = Int(address - baseAddress(of: page))
        guard layouts[page.rawValue].isAllocated(offset: offset, count: count, pageSize: pageSize) else {
            throw .notAllocatedCode(address: address, count: count)
        }
        return page.rawValue
    }

    private func patchableIndex(_ address: UInt) throws(CodeMemoryError) -> Int {
        guard address & 7 == 0 else { throw .misalignedPatch(address: address) }
        guard let page = pageIndex(containing: address), states[page.rawValue] == .live else {
            throw .notAllocatedCode(address: address, count: 8)
        }
        return page.rawValue
    }
}
