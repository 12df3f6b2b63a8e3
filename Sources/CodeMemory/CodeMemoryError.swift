/// Why a code-memory operation could not be done. Nothing in CodeMemory traps on bad input.
public enum CodeMemoryError: Error, Equatable, Sendable {
    /// The configuration cannot be honoured (the message says which value and why).
    case invalidConfiguration(String)
    /// An argument is out of range (negative size, alignment not a power of two, ...).
    case invalidArgument(String)
    /// Every page of the region is live: free pages (collect code) before allocating more.
    case regionFull(pageCount: Int)
    /// The half has fewer bytes left than asked for (alignment padding included): start a new page.
    case halfFull(page: PageIndex, half: PageHalf, requested: Int, remaining: Int)
    /// The page is not live (never allocated, or freed), or the index is outside the region.
    case pageNotLive(PageIndex)
    /// The address range does not lie in already-allocated bytes of one live page half.
    case notAllocatedCode(address: UInt, count: Int)
    /// A patch word must be 8-byte aligned so the store is atomic.
    case misalignedPatch(address: UInt)
    /// A system call failed.
    case system(SystemCallError)
}
