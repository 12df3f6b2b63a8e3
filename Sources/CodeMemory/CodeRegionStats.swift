/// A snapshot of a region's use.
public struct CodeRegionStats: Sendable, Equatable {
    /// Bytes of address space reserved.
    public var regionSize: Int
    /// Bytes per code page.
    public var pageSize: Int
    /// Bytes of live pages (committed: readable, executable, backed by memory once written).
    public var committedBytes: Int
    /// Bytes of memory the OS really holds for the region (the memfd's allocated blocks, including the
    /// one shared INT3 page that freed pages map): drops when pages are freed.
    public var residentBytes: Int
    /// Pages handed out and not freed.
    public var livePageCount: Int
    /// Freed pages waiting for reuse.
    public var freePageCount: Int
    /// Pages never handed out.
    public var uncommittedPageCount: Int
    /// Bytes bump-allocated in the inline halves of live pages (alignment padding included).
    public var inlineBytesUsed: Int
    /// Bytes bump-allocated in the outlined halves of live pages (alignment padding included).
    public var outlinedBytesUsed: Int
}
