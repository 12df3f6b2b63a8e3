@testable import GuestJIT
import GuestVM
import Testing

/// When a record's cached calls to an interpreted ISEQ run out, `interpretedCallsDue` may compile the ISEQ.
/// Frames cached calls pushed through the record complete from it later (`IncompleteFrames`), so a valid
/// record must keep describing its callee: the helper changes only its entry, and leaves alone a record
/// that no longer counts calls to that ISEQ. Threads racing down the count each call the helper, the later
/// ones after another thread refilled the record; these tests make those calls directly, one at a time.
@Suite("A record whose interpreted callee came due keeps describing its callee", .serialized)
struct InterpretedCallsDueTests {
    /// `call_f`'s site ends up cached for B#f, compiled; A#f is compiled too.
    static let program = """
    class A; def f; 1; end; end
    class B; def f; 2; end; end
    def call_f(x); x.f; end
    call_f(A.new)
    call_f(B.new)
    """

    struct Setup {
        let run: GuestRun
        let jit: GuestJIT
        let record: UnsafeMutableRawPointer
        let recordISeq: ISeq
        let otherISeq: ISeq
    }

    static func setUp() throws -> Setup {
        let run = try GuestRun(jit: GuestRun.eager)
        _ = try run.run(program)
        let jit = try #require(run.jit)
        let fs = run.vm.iseqs.liveISeqs().filter { $0.name == "f" && $0.kind == .method }
        try #require(fs.count == 2)
        let ids = Set(fs.map { UInt(bitPattern: $0.id) })
        let record = try #require(jit.callCaches.values.first {
            ids.contains($0.load(fromByteOffset: CallCache.iseq, as: UInt.self))
        })
        #expect(!CallCache.isStale(record, runtime: jit.mainRuntime))
        let recordISeq = try #require(fs.first { UInt(bitPattern: $0.id) == record.load(fromByteOffset: CallCache.iseq, as: UInt.self) })
        let otherISeq = try #require(fs.first { $0 !== recordISeq })
        try #require(recordISeq.jitEntry != nil && otherISeq.jitEntry != nil)
        return Setup(run: run, jit: jit, record: record, recordISeq: recordISeq, otherISeq: otherISeq)
    }

    /// Calls the helper as the interpreter entry would for a complete frame of `iseq`, then puts back the
    /// context's frame and the runtime block (the test's frame is not on the VM stack).
    static func callDue(_ setup: Setup, frameOf iseq: ISeq) -> UInt {
        let slots = UnsafeMutablePointer<Value>.allocate(capacity: 4)
        slots.initialize(repeating: Value(raw: 0), count: 4)
        let frame = UnsafeMutableRawPointer.allocate(byteCount: ControlFrame.Offsets.size, alignment: 16)
        frame.initializeMemory(as: UInt8.self, repeating: 0, count: ControlFrame.Offsets.size)
        let callee = frame.assumingMemoryBound(to: ControlFrame.self)
        callee.pointee.sp = slots + 1
        callee.pointee.ep = slots + 1
        callee.pointee.iseq = iseq.id
        callee.pointee.flags = UInt64(FrameType.method.rawValue)
        let ec = setup.run.vm.mainContext!
        let block = setup.jit.mainRuntime
        let savedCFP = ec.cfp
        let saved = [RuntimeBlock.cfp, RuntimeBlock.ec, RuntimeBlock.stackLimit, RuntimeBlock.frameLimit,
                     RuntimeBlock.nativeStackLimit].map { ($0, block.word($0).pointee) }
        // As on entry to JIT code: the block names the running context (helpers find it there).
        GuestJIT.install(ec, in: block)
        defer {
            ec.cfp = savedCFP
            for (offset, word) in saved { block.word(offset).pointee = word }
            frame.deallocate()
            slots.deallocate()
        }
        return setup.jit.interpretedCallsDue(block, record: setup.record, callee: callee)
    }

    static func words(_ record: UnsafeMutableRawPointer) -> [UInt64] {
        (0 ..< CallCache.size / 8).map { record.load(fromByteOffset: $0 * 8, as: UInt64.self) }
    }

    @Test func aLateCallLeavesARecordRefilledForAnotherCalleeUnchanged() throws {
        let setup = try Self.setUp()
        let before = Self.words(setup.record)
        // Another thread's due call for A#f, reaching the helper after the record was refilled for B#f.
        let answer = Self.callDue(setup, frameOf: setup.otherISeq)
        #expect(answer == UInt(bitPattern: setup.otherISeq.jitEntry!))
        #expect(Self.words(setup.record) == before, "the record of B#f's compiled calls was rewritten")
        #expect(!CallCache.isStale(setup.record, runtime: setup.jit.mainRuntime))
    }

    @Test func aDueCallGivesTheRecordItsCalleesEntryAndKeepsItValid() throws {
        let setup = try Self.setUp()
        // The record as it is while B#f's calls still go to the interpreter entry (B#f was compiled through
        // another path meanwhile).
        setup.record.storeBytes(of: UInt64(setup.jit.shared.interpretCallee), toByteOffset: CallCache.entry, as: UInt64.self)
        let before = Self.words(setup.record)
        let answer = Self.callDue(setup, frameOf: setup.recordISeq)
        let entry = UInt(bitPattern: setup.recordISeq.jitEntry!)
        #expect(answer == entry)
        #expect(!CallCache.isStale(setup.record, runtime: setup.jit.mainRuntime), "the record went stale")
        var expected = before
        expected[CallCache.entry / 8] = UInt64(entry)
        #expect(Self.words(setup.record) == expected, "only the entry word may change")
    }
}
