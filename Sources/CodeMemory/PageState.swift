/// Lifecycle of a code page.
public enum PageState: Sendable, Equatable {
    /// Address space only: never handed out, not readable.
    case uncommitted
    /// Handed out by `allocatePage`: readable and executable (writable through the RW view).
    case live
    /// Freed: memory returned to the OS, reads back as 0xCC (INT3), waiting on the free list for reuse.
    case free
}
