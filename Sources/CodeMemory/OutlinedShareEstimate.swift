/// The share of outlined bytes in the code written recently, used to size outlined windows.
///
/// Counts the bytes allocated in each part, halving both counts whenever together they pass `horizon`, so
/// the estimate follows a change of workload within a few pages: e.g. one long method with a send per
/// line (~10% outlined) and then many tiny methods (~50% outlined, each one's side exits and stubs next to
/// little inline code).
struct OutlinedShareEstimate {
    /// Bytes of history kept (about).
    let horizon: Int
    private(set) var inlineBytes: Int
    private(set) var outlinedBytes: Int

    /// Starts from a prior worth a quarter of the horizon: one outlined byte per three inline bytes, about
    /// what a baseline JIT's code has, so the first few bytes written (e.g. a JIT's shared trampolines, all
    /// inline) do not decide alone.
    init(horizon: Int) {
        self.horizon = max(horizon, 16)
        inlineBytes = self.horizon * 3 / 16
        outlinedBytes = self.horizon / 16
    }

    mutating func record(_ byteCount: Int, in half: PageHalf) {
        if half == .inline { inlineBytes += byteCount } else { outlinedBytes += byteCount }
        if inlineBytes + outlinedBytes > horizon {
            inlineBytes /= 2
            outlinedBytes /= 2
        }
    }

    /// Outlined bytes / all bytes (one quarter before anything was written).
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
