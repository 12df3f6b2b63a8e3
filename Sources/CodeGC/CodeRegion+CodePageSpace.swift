import CodeMemory
import X86Assembler

/// CodeMemory's region as the space a ``CodeGC`` collects: pages freed through `freePage` (INT3, memory
/// returned, free list), dead code INT3'd through the RW view, jumps retargeted with one atomic aligned
/// 8-byte store (X86Assembler's patchable-jump layout).
extension CodeRegion: CodePageSpace {
    /// `allocatePage()`, with region-full (or a failed mapping) as nil.
    public func allocateCodePage() -> Int? {
        do { return try allocatePage().rawValue } catch { return nil }
    }

    /// `freePage`: INT3 at once, memory back to the OS, onto the free list.
    public func freeCodePage(_ page: Int) throws(CodeGCError) {
        do { try freePage(PageIndex(page)) } catch { throw .memory("\(error)") }
    }

    /// Writes INT3 over already-allocated code through the RW view.
    public func poisonCode(_ range: Range<UInt>) throws(CodeGCError) {
        guard !range.isEmpty else { return }
        do {
            try write([UInt8](repeating: 0xCC, count: Int(range.upperBound - range.lowerBound)), at: range.lowerBound)
        } catch { throw .memory("\(error)") }
    }

    /// Reads the jump's aligned word, recomputes its displacement (X86Assembler's `PatchableJump`) and stores
    /// the word atomically (`patchWord`).
    public func retargetJump(at jumpAddress: UInt, to target: UInt) throws(CodeGCError) {
        let word = PatchableJump.wordAddress(ofJumpAt: jumpAddress)
        do {
            let current = try loadWord(at: word)
            let replacement = try PatchableJump.retargetedWord(jumpAt: jumpAddress, currentWord: current, newTarget: target)
            try patchWord(at: word, to: replacement)
        } catch let error as CodeMemoryError {
            throw .memory("\(error)")
        } catch {
            throw .memory("cannot retarget the jump at 0x\(String(jumpAddress, radix: 16)): \(error)")
        }
    }
}
