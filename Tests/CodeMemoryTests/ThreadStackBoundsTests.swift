import CShims
import Foundation
import Testing

@Suite("Thread stack bounds")
struct ThreadStackBoundsTests {
    @Test("The current thread's stack bounds contain its locals, on this thread and on a new one")
    func boundsContainLocals() throws {
        let here = try currentBoundsAndLocal()
        #expect(here.bounds.contains(here.local))
        #expect(here.bounds.count >= 64 << 10)

        let box = ResultBox()
        let thread = Thread { box.value = try? currentBoundsAndLocal() }
        thread.stackSize = 1 << 20
        thread.start()
        while !thread.isFinished { usleep(1000) }
        let there = try #require(box.value)
        #expect(there.bounds.contains(there.local))
        #expect(!there.bounds.overlaps(here.bounds))
        #expect(there.bounds.count >= 1 << 20)
    }

    @Test("The main thread's bounds from AT_EXECFN and RLIMIT_STACK end where /proc/self/maps's [stack] ends")
    func mainThreadBoundsMatchTheStackMapping() throws {
        var limit = rlimit()
        try #require(getrlimit(Int32(RLIMIT_STACK.rawValue), &limit) == 0)
        var low: UInt = 0, high: UInt = 0
        guard limit.rlim_cur != rlim_t.max else {
            #expect(jr_main_thread_stack_bounds(&low, &high) == -1)
            return
        }
        try #require(jr_main_thread_stack_bounds(&low, &high) == 0)
        // /proc files report size 0: read to the end rather than by size.
        let file = try #require(FileHandle(forReadingAtPath: "/proc/self/maps"))
        let maps = String(decoding: file.readDataToEndOfFile(), as: UTF8.self)
        let line = try #require(maps.split(separator: "\n").first { $0.hasSuffix("[stack]") })
        let range = line.split(separator: " ")[0].split(separator: "-").map { UInt($0, radix: 16)! }
        // glibc's answer: from the page above __libc_stack_end (below argv) down to the mapping's end less
        // the limit.
        #expect(high <= range[1] && high > range[0])
        #expect(low == range[1] - UInt(limit.rlim_cur) & ~UInt(getpagesize() - 1))
        #expect(low <= range[0])
    }
}

private final class ResultBox: @unchecked Sendable {
    var value: (bounds: Range<UInt>, local: UInt)?
}

@inline(never)
private func currentBoundsAndLocal() throws -> (bounds: Range<UInt>, local: UInt) {
    var low: UInt = 0, high: UInt = 0
    try #require(jr_current_thread_stack_bounds(&low, &high) == 0)
    var local = 0
    let address = withUnsafeMutablePointer(to: &local) { UInt(bitPattern: $0) }
    return (low..<high, address)
}
