@testable import GuestVM
import Testing

/// A stand-in JIT that compiles nothing real: it proves when the interpreter calls each hook.
final class RecordingJIT: JITCompiler {
    let callThreshold = 3
    var compiled: [String] = []
    var entered: [String] = []
    var resumed: [Value] = []
    static var marker: UnsafeRawPointer { UnsafeRawPointer(bitPattern: 0x1000)! }

    func compile(_ iseq: ISeq, ec: ExecutionContext) {
        compiled.append(iseq.name)
        iseq.jitEntry = RecordingJIT.marker
    }

    func enter(_ iseq: ISeq, ec: ExecutionContext) -> JITExit {
        entered.append(iseq.name)
        // Pretend JIT code pushed this frame: its return must come back through `resume`.
        ec.cfp.pointee.jitReturn = RecordingJIT.marker
        return .interpret
    }

    func resume(at jitReturn: UnsafeRawPointer, value: Value, ec: ExecutionContext) -> JITExit? {
        #expect(jitReturn == RecordingJIT.marker)
        resumed.append(value)
        return nil
    }
}

@Suite struct JITSeamTests {
    @Test func compileAtTheThresholdThenEnterAndResumeOnEveryCall() throws {
        let h = GuestHarness()
        let jit = RecordingJIT()
        h.vm.jit = jit
        let out = try h.output(of: """
        def twice(x); x * 2; end
        r = []
        5.times { |i| r << twice(i) }
        p r
        """)
        #expect(out == "[0, 2, 4, 6, 8]\n")
        #expect(jit.compiled.filter { $0 == "twice" }.count == 1)
        // Compiled on the third call, entered on that call and the two after it.
        #expect(jit.entered.filter { $0 == "twice" }.count == 3)
        #expect(jit.resumed.contains(.fixnum(8)))
    }
}
