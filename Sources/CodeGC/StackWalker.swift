import CShims
import Glibc

/// How the collector walks native stacks.
public enum StackWalkMode: Sendable, Equatable {
    /// Precise: the collecting thread with `unw_backtrace` (libunwind's cached fast path), saved contexts
    /// with `unw_step`; a conservative scan when a walk cannot start or fails.
    case precise
    /// Precise with `unw_step` for the collecting thread too: slower, but reports mid-walk failures, which
    /// then fall back to a conservative scan.
    case checked
    /// Conservative scans only (for comparison and as a last resort).
    case conservative
}

/// How one stack was read.
public enum StackWalkOutcome: Sendable, Equatable {
    /// A libunwind walk reached the end of the stack.
    case precise
    /// Every 8-byte word of the live stack was checked against the region.
    case conservative
}

/// Finds the return addresses into one code region on native stacks: precisely with libunwind (through
/// JIT frames, which must run with an rbp frame in a region registered with libunwind, C frames without
/// frame pointers, Swift frames), or conservatively by scanning stack words. Buffers are allocated once and
/// reused, so a walk allocates nothing per frame.
public final class StackWalker {
    /// The executable region [low, high): a return address belongs to it when `low < ra <= high` (libunwind
    /// attributes `ra - 1`).
    public let region: Range<UInt>
    /// Addresses found by the last walk or scan that point into the region, outermost last. For a precise
    /// walk these are return addresses; for a scan, any word in `low...high`.
    public private(set) var found: [UInt] = []
    /// Frames visited by the last precise walk (all frames, not only those in the region).
    public private(set) var lastFrameCount = 0
    /// Nanoseconds spent in walks and scans since ``resetTimer()``.
    public private(set) var walkNs: UInt64 = 0

    private var capacity: Int
    private var frames: UnsafeMutablePointer<jr_native_frame>
    private var addresses: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    private static let maximumCapacity = 1 << 20

    /// A walker for `region`, with room for `initialCapacity` frames (grown when a stack is deeper).
    public init(region: Range<UInt>, initialCapacity: Int = 1024) {
        self.region = region
        self.capacity = max(16, initialCapacity)
        self.frames = .allocate(capacity: capacity)
        self.addresses = .allocate(capacity: capacity)
        found.reserveCapacity(256)
    }

    deinit {
        frames.deallocate()
        addresses.deallocate()
    }

    /// Zeroes ``walkNs``.
    public func resetTimer() { walkNs = 0 }

    private func grow() -> Bool {
        guard capacity < Self.maximumCapacity else { return false }
        frames.deallocate()
        addresses.deallocate()
        capacity *= 4
        frames = .allocate(capacity: capacity)
        addresses = .allocate(capacity: capacity)
        return true
    }

    @inline(__always)
    private func keepReturnAddress(_ address: UInt) {
        if address > region.lowerBound && address <= region.upperBound { found.append(address) }
    }

    /// Walks the calling thread's stack; on failure scans it conservatively. Results in ``found``.
    @inline(never)
    public func walkCurrentThread(mode: StackWalkMode = .precise) -> StackWalkOutcome {
        let start = CodeGC.now()
        defer { walkNs += CodeGC.now() - start }
        found.removeAll(keepingCapacity: true)
        lastFrameCount = 0
        switch mode {
        case .precise:
            while true {
                let count = Int(jr_unwind_backtrace(addresses, Int32(capacity)))
                // jr_unwind_backtrace drops its own frame, so a full buffer comes back as capacity - 1
                // frames: the walk may have been cut short. Grow, or scan if it cannot grow any more.
                if count >= capacity - 1 {
                    if grow() { continue }
                    break
                }
                guard count > 0 else { break }
                lastFrameCount = count
                for index in 0..<count { keepReturnAddress(UInt(bitPattern: addresses[index])) }
                return .precise
            }
        case .checked:
            while true {
                let result = jr_unwind_walk_current(frames, capacity, 0)
                if result.end == JR_WALK_TRUNCATED, grow() { continue }
                guard result.count > 0, result.end == JR_WALK_COMPLETE else { break }
                lastFrameCount = result.count
                for index in 0..<result.count { keepReturnAddress(frames[index].ip) }
                return .precise
            }
        case .conservative:
            break
        }
        found.removeAll(keepingCapacity: true)
        var low: UInt = 0
        var high: UInt = 0
        guard jr_current_thread_stack_bounds(&low, &high) == 0 else { return .conservative }
        var marker: UInt = 0
        let stackPointer = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        scanWords(max(low, stackPointer & ~7)..<high)
        return .conservative
    }

    /// Walks a stopped stack from its saved `ucontext_t` (getcontext/swapcontext); if the walk cannot start
    /// or fails, scans `stack` conservatively from the context's stack pointer up. Results in ``found``.
    public func walk(context: UnsafeMutableRawPointer, stack: Range<UInt>) -> StackWalkOutcome {
        let start = CodeGC.now()
        defer { walkNs += CodeGC.now() - start }
        found.removeAll(keepingCapacity: true)
        lastFrameCount = 0
        let ucontext = context.assumingMemoryBound(to: ucontext_t.self)
        while true {
            let result = jr_unwind_walk_context(ucontext, frames, capacity, 0)
            if result.end == JR_WALK_TRUNCATED, grow() { continue }
            guard result.count > 0, result.end == JR_WALK_COMPLETE else { break }
            lastFrameCount = result.count
            // Frame 0 is the context's program counter, where execution resumes (not a return address):
            // `pc + 1` makes the collector's `ra - 1` probe land on `pc` itself.
            let pc = frames[0].ip
            if pc >= region.lowerBound && pc < region.upperBound { found.append(pc + 1) }
            for index in 1..<result.count { keepReturnAddress(frames[index].ip) }
            return .precise
        }
        found.removeAll(keepingCapacity: true)
        let stackPointer = UInt(bitPattern: Int(ucontext.pointee.uc_mcontext.gregs.15))  // REG_RSP
        let low = stack.contains(stackPointer) ? stackPointer & ~7 : stack.lowerBound
        scanWords(low..<stack.upperBound)
        return .conservative
    }

    /// Scans the words of a stack range [low, high) conservatively. Results in ``found``.
    public func scan(_ stack: Range<UInt>) {
        let start = CodeGC.now()
        defer { walkNs += CodeGC.now() - start }
        found.removeAll(keepingCapacity: true)
        scanWords(stack)
    }

    private func scanWords(_ stack: Range<UInt>) {
        let low = (stack.lowerBound + 7) & ~7
        guard low < stack.upperBound else { return }
        let count = Int(stack.upperBound - low) / 8
        guard let words = UnsafePointer<UInt>(bitPattern: low) else { return }
        let regionLow = region.lowerBound
        let regionHigh = region.upperBound
        for index in 0..<count {
            let word = words[index]
            if word >= regionLow && word <= regionHigh { found.append(word) }
        }
    }
}
