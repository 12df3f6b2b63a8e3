import Glibc

/// Buffered standard output: guest output is collected and written in large chunks (at 64 KiB, at
/// exit, and before anything goes to stderr so the two stay in order).
public final class OutputBuffer {
    private var bytes: [UInt8] = []
    private let fd: Int32
    /// Tests capture output here instead of writing to the descriptor.
    public var capture: ((String) -> Void)?

    public init(fd: Int32 = 1) {
        self.fd = fd
        bytes.reserveCapacity(1 << 16)
    }

    /// Serializes writers once the VM is multi-threaded (one `write` is never interleaved with another).
    private let lock = LeafLock()
    var isShared: Bool {
        get { lock.isShared }
        set { lock.isShared = newValue }
    }

    public func write(_ s: String) {
        lock.withLock {
            if let capture {
                capture(s)
                return
            }
            bytes.append(contentsOf: s.utf8)
            if bytes.count >= 1 << 16 { flushLocked() }
        }
    }

    /// Tests capture standard error here.
    public var captureError: ((String) -> Void)?

    public func flush() {
        lock.withLock { flushLocked() }
    }

    private func flushLocked() {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                break
            }
            offset += n
        }
        bytes.removeAll(keepingCapacity: true)
    }
}

extension VM {
    /// Writes to standard error at once (after flushing standard output, so the two stay in order).
    public func writeError(_ text: String) {
        if let capture = output.captureError {
            capture(text)
            return
        }
        output.flush()
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            offset += n
        }
        bytes.removeAll()
    }
}
