/// Index of a code page in its region (page `i` starts at `executableBase + i * pageSize`).
public struct PageIndex: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: Int

    public init(_ rawValue: Int) { self.rawValue = rawValue }

    public static func < (lhs: PageIndex, rhs: PageIndex) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "page \(rawValue)" }
}
