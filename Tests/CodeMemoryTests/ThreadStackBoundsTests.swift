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
