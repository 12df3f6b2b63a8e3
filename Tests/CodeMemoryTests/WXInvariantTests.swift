import CodeMemory
import Foundation
import Testing

@Suite("No mapping is writable and executable, even mid-write")
struct WXInvariantTests {
    @Test("Sampling /proc/self/maps while another thread writes, frees and reuses pages finds no rwx mapping",
          arguments: WXStrategy.allCases)
    func noRWXWhileWriting(strategy: WXStrategy) throws {
        let region = try makeRegion(regionSize: 8 * 16384, strategy: strategy)
        let done = Flag()
        let writer = Thread {
            do {
                for round in 0..<200 {
                    let page = try region.allocatePage()
                    for value in 0..<20 {
                        _ = try region.emit(MachineCode.returnConstant(UInt32(round * 20 + value)), in: .inline, of: page)
                    }
                    try region.freePage(page)
                }
            } catch {
                done.failure = "\(error)"
            }
            done.isSet = true
        }
        writer.start()
        var samples = 0
        var offenders: [MemoryMapping] = []
        while !done.isSet || samples == 0 {
            offenders += try writableExecutableMappings()
            samples += 1
        }
        #expect(done.failure == nil)
        #expect(offenders.isEmpty, "rwx mappings after \(samples) samples: \(offenders)")
        #expect(samples > 0)
    }
}

private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var _isSet = false
    private var _failure: String?

    var isSet: Bool {
        get { lock.withLock { _isSet } }
        set { lock.withLock { _isSet = newValue } }
    }

    var failure: String? {
        get { lock.withLock { _failure } }
        set { lock.withLock { _failure = newValue } }
    }
}
