/// The two bump-allocated halves of a code page: hot code first, cold code (side exits, stubs) second.
public enum PageHalf: Int, Sendable, CaseIterable {
    /// The first half: the code a method runs on its fast path.
    case inline
    /// The second half: out-of-line code (side exits, stubs) kept out of the hot half.
    case outlined
}
