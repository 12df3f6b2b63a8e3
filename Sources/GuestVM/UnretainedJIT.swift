/// The JIT as the dispatch loop's call and return paths reach it: without retaining it.
///
/// Reading `VM.jit` (a `var`) copies the reference, which retains and releases it around every call. A
/// JIT is also weakly referenced (its collector's roots), so each of those takes Swift's slow side-table
/// path: measured at ~20% of a JIT-to-interpreter call. A box whose `let` holds the JIT, reached through
/// `Unmanaged`, lets the call borrow the reference instead.
final class JITBox {
    let jit: JITCompiler

    init(_ jit: JITCompiler) {
        self.jit = jit
    }
}

extension VM {
    /// Calls `body` with the JIT, borrowed (nil without one). `VM.jit` keeps it alive; `body` must not
    /// replace `VM.jit`.
    @inline(__always)
    func withUnretainedJIT<T>(_ body: (JITCompiler) -> T) -> T? {
        guard let box = jitBox else { return nil }
        return box._withUnsafeGuaranteedRef { body($0.jit) }
    }
}
