import Testing
import X86Assembler

/// shl, shr and sar by immediate (including the shift-by-one opcode) and by cl, checked against llvm-mc.
@Suite struct ShiftEncodingTests {
    @Test("shl, shr, sar by 0, 1, 2, 31, 63 and by cl on every register")
    func shifts() throws {
        typealias Shift = (inout Assembler, Register, ShiftCount, OperandSize) -> Void
        let shifts: [(String, Shift)] = [
            ("shl", { $0.shl($1, $2, size: $3) }), ("shr", { $0.shr($1, $2, size: $3) }), ("sar", { $0.sar($1, $2, size: $3) }),
        ]
        var cases: [EncodingCase] = []
        for (mnemonic, shift) in shifts {
            for size in OperandSize.both {
                for register in Register.all {
                    for count: UInt8 in [0, 1, 2, 31, 63] {
                        cases.append(EncodingCase("\(mnemonic) \(register.name(size)), \(count)") { shift(&$0, register, .immediate(count), size) })
                    }
                    cases.append(EncodingCase("\(mnemonic) \(register.name(size)), cl") { shift(&$0, register, .cl, size) })
                }
            }
        }
        try expectMatchesLLVM(cases)
    }

    @Test("an integer literal is an immediate shift count")
    func literalCount() throws {
        var literal = Assembler(baseAddress: 0)
        literal.sar(.r10, 3)
        var explicit = Assembler(baseAddress: 0)
        explicit.sar(.r10, .immediate(3))
        #expect(try literal.finalize() == explicit.finalize())
    }
}
