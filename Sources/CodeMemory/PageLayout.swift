/// Where inline and outlined code go on one live page (offsets from the page's first byte).
///
/// Inline code grows up from offset 0. Outlined code grows up inside a *window* at the top of the page's
/// free middle. The window's size is a prediction (``OutlinedShareEstimate``), so a page is no longer cut
/// into two fixed halves of which one stays mostly empty. When the window is full but the middle still has
/// room, ``carveWindow(inline:outlined:preferred:)`` closes it and opens a new window just below it: code
/// in the old window stays where it is, its unused tail stays INT3. A window nothing was written to yet can
/// be resized freely.
///
///     0            inlineUsed        windowStart   +windowUsed   windowEnd            pageSize
///     | inline code | free middle ... | window code | window free | closed windows ... |
struct PageLayout {
    /// Inline bytes allocated: offsets [0, inlineUsed).
    var inlineUsed = 0
    /// The current outlined window: offsets [windowStart, windowEnd), allocated from windowStart up.
    var windowStart: Int
    var windowEnd: Int
    /// Bytes allocated in the current window.
    var windowUsed = 0
    /// Outlined bytes allocated in closed windows (all at or above `windowEnd`).
    var closedOutlined = 0

    /// A fresh page of `pageSize` bytes whose outlined window is its top `window` bytes.
    init(pageSize: Int, window: Int) {
        windowEnd = pageSize
        windowStart = pageSize - window
    }

    /// Inline bytes still free: up to the current window.
    var inlineRemaining: Int { windowStart - inlineUsed }
    /// Outlined bytes still free in the current window.
    var outlinedRemaining: Int { windowEnd - windowStart - windowUsed }
    /// Unwritten bytes code can still get (inline free plus the current window's free tail): an upper
    /// bound on what one block placed here can use, for a quick reject.
    var freeMiddle: Int { inlineRemaining + outlinedRemaining }
    /// Outlined bytes allocated in every window of the page.
    var outlinedUsed: Int { closedOutlined + windowUsed }

    /// Whether [offset, offset + count) lies in allocated bytes: inline code, the current window's code, or
    /// the closed windows above it (whose unused tails are INT3 and never handed out).
    func isAllocated(offset: Int, count: Int, pageSize: Int) -> Bool {
        let end = offset + count
        if end <= inlineUsed { return offset >= 0 }
        if offset >= windowStart && end <= windowStart + windowUsed { return true }
        return offset >= windowEnd && end <= pageSize
    }

    /// Makes the current window `outlined` bytes or more and the inline part `inline` bytes or more, by
    /// resizing an empty window or closing a used one and opening the next just below it; the new window
    /// is `preferred(space)` bytes where it can be (`space`: the bytes it and the inline part share).
    /// Returns false (changing nothing) when the page cannot give that much.
    mutating func carveWindow(inline: Int, outlined: Int, preferred: (Int) -> Int) -> Bool {
        if inlineRemaining >= inline && outlinedRemaining >= outlined { return true }
        // A used window's free bytes are not contiguous with the inline part: only a short window helps.
        if windowUsed > 0 && outlinedRemaining >= outlined { return false }
        let end = windowUsed == 0 ? windowEnd : windowStart
        let lowest = inlineUsed + inline
        let highest = (end - outlined) & ~(Self.windowAlignment - 1)
        guard lowest <= highest else { return false }
        let wanted = (end - preferred(end - inlineUsed)) & ~(Self.windowAlignment - 1)
        let start = min(max(wanted, (lowest + Self.windowAlignment - 1) & ~(Self.windowAlignment - 1)), highest)
        if windowUsed > 0 {
            closedOutlined += windowUsed
            windowUsed = 0
        }
        windowEnd = end
        windowStart = start
        return true
    }

    /// Window boundaries are multiples of this (code placed at a window's start is aligned like a page's).
    static let windowAlignment = 16
}
