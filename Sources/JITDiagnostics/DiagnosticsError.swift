import CodeMemory
import Glibc

/// Why a diagnostics facility could not do what was asked.
public enum DiagnosticsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system or library call failed (which call, and its errno).
    case system(SystemCallError)
    /// libelf refused to build or read an object: the step and libelf's message.
    case elf(step: String, message: String)
    /// An argument the caller gave is unusable (empty range, address outside the region, ...).
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .system(let error): return error.description
        case .elf(let step, let message): return "libelf \(step) failed: \(message)"
        case .invalidArgument(let message): return "invalid argument: \(message)"
        }
    }

    /// The errno the last call left, as a `.system` error naming `call`.
    static func lastSystemError(_ call: String) -> DiagnosticsError {
        .system(SystemCallError(call: call, errno: Glibc.errno))
    }
}
