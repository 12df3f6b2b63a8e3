/// The share of outlined bytes in the code written recently, used to size outlined windows.
///
/// Counts the bytes allocated in each part, halving both counts whenever together they pass `horizon`, so
/// the estimate follows a change of workload within a few pages: e.g. one long method with a send per
/// line (~10% outlined) and then many tiny methods (~50% outlined, each one's side exits and stubs next to
/// little inline code).
struct OutlinedShareEstimate {
    /// Bytes of history kept (about).
    let horizon: Int
    private(set) var inlineBytes = 0
    private(set) var outlinedBytes = 0

    init(horizon: Int) { self.horizon = max(horizon, 1) }

    mutating func record(_ byteCount: Int, in half: PageHalf) {
        if half == .inline { inlineBytes += byteCount } else { outlinedBytes += byteCount }
        if inlineBytes + outlinedBytes > horizon {
            inlineBytes /= 2
            outlinedBytes /= 2
        }
    }

    /// Outlined bytes / all bytes; one half before anything was written.
    var share: Double {
        let total = inlineBytes + outlinedBytes
        return total == 0 ? 0.5 : Double(outlinedBytes) / Double(total)
    }

    /// The outlined window to give `space` bytes of free page: the predicted outlined part plus `headroom`
    /// (a writer that checks room per instruction needs a margin in both parts; with the margin here, the
    /// inline part is the one that fills first), a multiple of the window alignment.
    func window(for space: Int, headroom: Int) -> Int {
        let predicted = Int((share * Double(space)).rounded()) + headroom
        let alignment = PageLayout.windowAlignment
        return min(space, (predicted + alignment - 1) / alignment * alignment)
    }
}
