/// The client object that owns compiled code: a method, an ISEQ, a function. Opaque to CodeGC, which only
/// groups blocks, entry points and entry counters by it.
public struct CodeOwnerID: Hashable, Sendable, CustomStringConvertible {
    /// The client's own handle (a table index, a pointer bit pattern, ...).
    public var rawValue: UInt64

    /// Wraps the client's handle.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    /// `owner <rawValue>`.
    public var description: String { "owner \(rawValue)" }
}
