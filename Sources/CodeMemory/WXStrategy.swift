/// How a region keeps every mapping writable or executable, never both.
public enum WXStrategy: String, Sendable, CaseIterable {
    /// Two views of one memfd: an RW view for writing and an RX view for running. No system call per
    /// write, and patching is safe while other threads run the code. The default (see README for numbers).
    case dualMapping
    /// One RX view switched to RW (mprotect) around each write. A thread running code on a page while it is
    /// written faults, so patching live code from another thread is unsafe in this mode.
    case mprotectToggle
}
