/// The executable memory a ``CodeGC`` manages: fixed-size pages at `executableBase + i * pageSize`.
///
/// CodeMemory's region conforms (see `CodeRegion+CodePageSpace.swift`); tests use a recording fake. CodeGC
/// calls these only from ``CodeGC/allocatePage()``, invalidation (jump patches) and the sweep.
public protocol CodePageSpace: AnyObject {
    /// Address of page 0 in the executable view.
    var executableBase: UInt { get }
    /// Bytes per page: a power of two.
    var pageSize: Int { get }
    /// Pages in the region.
    var pageCount: Int { get }
    /// Hands out a free page, or nil when every page is live.
    func allocateCodePage() -> Int?
    /// Frees a page: its bytes become INT3, its memory goes back to the OS, it joins the free list.
    func freeCodePage(_ page: Int) throws(CodeGCError)
    /// Overwrites `range` (inside one live page) with INT3, so a stale jump or return traps.
    func poisonCode(_ range: Range<UInt>) throws(CodeGCError)
    /// Retargets the patchable `jmp`/`jcc rel32` whose first byte is at `jumpAddress` (inside a live page)
    /// to `target`, with one atomic aligned 8-byte store, safe while other threads run the code.
    func retargetJump(at jumpAddress: UInt, to target: UInt) throws(CodeGCError)
}
