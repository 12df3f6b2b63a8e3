/// The factor an index register is multiplied by in a ``Memory`` operand.
public enum Scale: UInt8, Sendable {
    /// index * 1
    case x1 = 0
    /// index * 2
    case x2 = 1
    /// index * 4
    case x4 = 2
    /// index * 8
    case x8 = 3
}
