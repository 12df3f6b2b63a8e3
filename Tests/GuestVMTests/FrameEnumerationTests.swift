import CShims
@testable import GuestVM
import Testing

@Suite struct FrameEnumerationTests {
    @Test func everyFrameOfTheRunningContextIsVisibleFromACFunction() throws {
        let h = GuestHarness()
        // frames_here returns one "type:name" string per frame, innermost first.
        h.vm.defineCFunction(h.vm.objectClass, "frames_here", arity: 0) { _, ecp, _, _, _ in
            let ec = Unmanaged<ExecutionContext>.fromOpaque(ecp!).takeUnretainedValue()
            var labels: [Value] = []
            ec.vm.forEachFrame { context, frame in
                guard context === ec else { return }
                let f = frame.pointee
                var name = "?"
                if let i = f.iseq {
                    name = Unmanaged<ISeq>.fromOpaque(i).takeUnretainedValue().name
                } else if let m = f.methodEntry {
                    name = Unmanaged<MethodEntry>.fromOpaque(m).takeUnretainedValue().name
                }
                labels.append(ec.vm.newString("\(f.type):\(name)"))
            }
            return ec.vm.newArray(labels).raw
        }
        let out = try h.output(of: """
        def outer
          [1].each { p frames_here }
        end
        outer
        """)
        #expect(out == "[\"cfunc:frames_here\", \"block:block\", \"method:each\", \"method:outer\", \"top:<main>\"]\n")
    }

    @Test func frameFieldOffsetsAreStable() {
        #expect(ControlFrame.Offsets.pc == 0)
        #expect(ControlFrame.Offsets.sp == 8)
        #expect(ControlFrame.Offsets.ep == 16)
        #expect(ControlFrame.Offsets.selfValue == 24)
        #expect(ControlFrame.Offsets.iseq == 32)
        #expect(ControlFrame.Offsets.jitReturn == 72)
        #expect(ControlFrame.Offsets.size == 80)
    }
}
