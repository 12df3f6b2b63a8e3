import CShims
import Glibc

/// A failed system or library call: which call, and the errno it left.
public struct SystemCallError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The call that failed, e.g. `"mmap"`.
    public let call: String
    /// The errno value the call left.
    public let errno: Int32

    public init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    public var description: String {
        "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))"
    }
}

/// Runs a call that reports failure as -1 and errno, retrying while it is interrupted (EINTR).
@inline(__always)
func systemCall<Result: BinaryInteger>(_ name: String, _ call: () -> Result) throws(SystemCallError) -> Result {
    while true {
        let result = call()
        if result != -1 { return result }
        let code = Glibc.errno
        if code != EINTR { throw SystemCallError(call: name, errno: code) }
    }
}

/// Runs a call that reports failure as NULL and errno, retrying while it is interrupted (EINTR).
@inline(__always)
func systemCall(_ name: String, _ call: () -> UnsafeMutableRawPointer?) throws(SystemCallError) -> UnsafeMutableRawPointer {
    while true {
        if let result = call() { return result }
        let code = Glibc.errno
        if code != EINTR { throw SystemCallError(call: name, errno: code) }
    }
}
