import CodeMemory
import X86Assembler

/// INT3 bytes written over dead code (one shared buffer, so poisoning allocates nothing).
private let int3Fill = [UInt8](repeating: 0xCC, count: 4096)

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
        var address = range.lowerBound
        while address < range.upperBound {
            let count = min(Int(range.upperBound - address), int3Fill.count)
            var failure: CodeMemoryError?
            int3Fill.withUnsafeBytes { bytes in
                do throws(CodeMemoryError) {
                    try write(UnsafeRawBufferPointer(rebasing: bytes[0..<count]), at: address)
                } catch { failure = error }
            }
            if let failure { throw .memory("\(failure)") }
            address += UInt(count)
        }
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
