import Testing
import X86Assembler

/// Requests the hardware cannot encode are typed errors from finalize, never traps or silent bad code.
@Suite struct RangeAndOperandErrorTests {
    static let base: UInt = 0x7F00_0000_0000

    @Test("rel32 call, jmp, jcc, RIP-relative operand and patchable jump to a target beyond ±2 GiB are reported")
    func absoluteTargetOutOfRange() {
        let farAbove = Self.base + 0x1_0000_0000
        let farBelow: UInt = 0x1000
        let emitters: [(String, (inout Assembler, UInt) -> Void)] = [
            ("call", { $0.call(absolute: $1) }),
            ("jmp", { $0.jmp(absolute: $1) }),
            ("jcc", { $0.jcc(.less, absolute: $1) }),
            ("rip", { $0.mov(.rax, .rip(absolute: $1)) }),
            ("patchable jmp", { _ = $0.patchableJmp(absolute: $1) }),
            ("patchable jcc", { _ = $0.patchableJcc(.equal, absolute: $1) }),
        ]
        for (name, emit) in emitters {
            for target in [farAbove, farBelow] {
                var assembler = Assembler(baseAddress: Self.base)
                assembler.nop()
                emit(&assembler, target)
                assembler.ret()
                #expect(throws: AssemblerError.targetOutOfRange(offset: 1, target: target), "\(name)") { try assembler.finalize() }
            }
        }
    }

    @Test("targets exactly at the ends of the rel32 range are accepted")
    func rel32Edges() throws {
        var assembler = Assembler(baseAddress: Self.base)
        let end = Self.base + 5
        #expect(assembler.canReachWithRel32(end + 0x7FFF_FFFF))
        #expect(!assembler.canReachWithRel32(end + 0x8000_0000))
        #expect(assembler.canReachWithRel32(end - 0x8000_0000))
        #expect(!assembler.canReachWithRel32(end - 0x8000_0001))
        assembler.call(absolute: end + 0x7FFF_FFFF)
        assembler.jmp(absolute: Self.base + 10 - 0x8000_0000)
        #expect(try assembler.finalize() == [0xE8, 0xFF, 0xFF, 0xFF, 0x7F, 0xE9, 0x00, 0x00, 0x00, 0x80])
    }

    @Test("rsp as an index register is reported with the offending instruction's offset")
    func rspIndexIsInvalid() {
        var assembler = Assembler(baseAddress: 0)
        assembler.ret()
        assembler.mov(.rax, Memory(base: .rbx, index: .rsp, scale: .x2))
        #expect(throws: AssemblerError.invalidIndexRegister(offset: 1)) { try assembler.finalize() }
    }

    @Test("the first error is the one reported")
    func firstErrorWins() {
        var assembler = Assembler(baseAddress: Self.base)
        assembler.call(absolute: 0)
        assembler.alignWithNops(to: 3)
        #expect(throws: AssemblerError.targetOutOfRange(offset: 0, target: 0)) { try assembler.finalize() }
    }
}
