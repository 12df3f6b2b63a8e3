/// The two bump-allocated parts of a code page: hot code from the page start, cold code (side exits, stubs)
/// in an outlined window at the top whose size adapts to the code written (see `CodeRegion.makeRoom`).
public enum PageHalf: Int, Sendable, CaseIterable {
    /// From the page start: the code a method runs on its fast path.
    case inline
    /// The outlined window: out-of-line code (side exits, stubs) kept out of the hot part.
    case outlined
}
