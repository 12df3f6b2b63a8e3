@testable import CodeGC
import Testing

/// After a futile collection of a full region, the next one waits until the activity clock would tick;
/// asking the clock sums every owner's counter, so during a burst of failures it is asked only every
/// `checkInterval` failures.
@Suite("Pacing of collections that freed nothing")
struct FullCollectionPacingTests {
    @Test func theClockIsAskedEveryCheckIntervalFailuresAndACollectionWaitsAtMostThatLong() {
        var pacing = FullCollectionPacing()
        var asked = 0
        #expect(pacing.mayCollect(maximumSpacing: 1000, checkInterval: 8) { asked += 1; return false })
        #expect(asked == 0, "before any futile collection the clock is not needed")
        pacing.collectionWasFutile()
        // The clock would tick from the 3rd failure on: it is next asked at the 9th, which collects.
        var failure = 0
        var collectedAt: Int?
        while collectedAt == nil && failure < 100 {
            failure += 1
            if pacing.mayCollect(maximumSpacing: 1000, checkInterval: 8, clockWouldTick: { asked += 1; return failure >= 3 }) {
                collectedAt = failure
            }
        }
        #expect(collectedAt == 9)
        #expect(asked == 2)
    }

    @Test func anIntervalOfOneAsksAtEveryFailure() {
        var pacing = FullCollectionPacing()
        pacing.collectionWasFutile()
        var asked = 0
        for _ in 0..<5 { #expect(!pacing.mayCollect(maximumSpacing: 1000, checkInterval: 1) { asked += 1; return false }) }
        #expect(asked == 5)
        #expect(pacing.mayCollect(maximumSpacing: 1000, checkInterval: 1) { true })
    }

    @Test func theSpacingLimitCollectsWithoutAskingTheClock() {
        var pacing = FullCollectionPacing()
        pacing.collectionWasFutile()
        var collected = false
        for _ in 0..<20 where !collected {
            collected = pacing.mayCollect(maximumSpacing: 10, checkInterval: 64) { false }
        }
        #expect(collected)
    }
}
