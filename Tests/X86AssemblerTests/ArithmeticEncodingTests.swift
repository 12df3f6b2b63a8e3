import Testing
import X86Assembler

/// add, sub, and, or, xor, cmp and test in every operand form, checked against llvm-mc.
@Suite struct ArithmeticEncodingTests {
    typealias RegReg = @Sendable (inout Assembler, Register, Register, OperandSize) -> Void
    typealias RegImm = @Sendable (inout Assembler, Register, Int32, OperandSize) -> Void
    typealias RegMem = @Sendable (inout Assembler, Register, Memory, OperandSize) -> Void
    typealias MemReg = @Sendable (inout Assembler, Memory, Register, OperandSize) -> Void
    typealias MemImm = @Sendable (inout Assembler, Memory, Int32, OperandSize) -> Void

    struct Operation: Sendable {
        let mnemonic: String
        let regReg: RegReg
        let regImm: RegImm
        let regMem: RegMem
        let memReg: MemReg
        let memImm: MemImm
    }

    static let operations: [Operation] = [
        Operation(mnemonic: "add", regReg: { $0.add($1, $2, size: $3) }, regImm: { $0.add($1, $2, size: $3) },
                  regMem: { $0.add($1, $2, size: $3) }, memReg: { $0.add($1, $2, size: $3) }, memImm: { $0.add($1, $2, size: $3) }),
        Operation(mnemonic: "sub", regReg: { $0.sub($1, $2, size: $3) }, regImm: { $0.sub($1, $2, size: $3) },
                  regMem: { $0.sub($1, $2, size: $3) }, memReg: { $0.sub($1, $2, size: $3) }, memImm: { $0.sub($1, $2, size: $3) }),
        Operation(mnemonic: "and", regReg: { $0.and($1, $2, size: $3) }, regImm: { $0.and($1, $2, size: $3) },
                  regMem: { $0.and($1, $2, size: $3) }, memReg: { $0.and($1, $2, size: $3) }, memImm: { $0.and($1, $2, size: $3) }),
        Operation(mnemonic: "or", regReg: { $0.or($1, $2, size: $3) }, regImm: { $0.or($1, $2, size: $3) },
                  regMem: { $0.or($1, $2, size: $3) }, memReg: { $0.or($1, $2, size: $3) }, memImm: { $0.or($1, $2, size: $3) }),
        Operation(mnemonic: "xor", regReg: { $0.xor($1, $2, size: $3) }, regImm: { $0.xor($1, $2, size: $3) },
                  regMem: { $0.xor($1, $2, size: $3) }, memReg: { $0.xor($1, $2, size: $3) }, memImm: { $0.xor($1, $2, size: $3) }),
        Operation(mnemonic: "cmp", regReg: { $0.cmp($1, $2, size: $3) }, regImm: { $0.cmp($1, $2, size: $3) },
                  regMem: { $0.cmp($1, $2, size: $3) }, memReg: { $0.cmp($1, $2, size: $3) }, memImm: { $0.cmp($1, $2, size: $3) }),
    ]

    /// Immediates at the edges of the imm8 and imm32 forms.
    static let immediates: [Int32] = [0, 1, -1, 127, -128, 128, -129, 1000, Int32.max, Int32.min]

    @Test("register, register: every pair of the 16 registers, 64- and 32-bit", arguments: operations.indices)
    func registerRegister(_ index: Int) throws {
        let operation = Self.operations[index]
        var cases: [EncodingCase] = []
        for size in OperandSize.both {
            for destination in Register.all {
                for source in Register.all {
                    cases.append(EncodingCase("\(operation.mnemonic) \(destination.name(size)), \(source.name(size))") {
                        operation.regReg(&$0, destination, source, size)
                    })
                }
            }
        }
        try expectMatchesLLVM(cases)
    }

    @Test("register, immediate: imm8 and imm32 forms and the short rax form", arguments: operations.indices)
    func registerImmediate(_ index: Int) throws {
        let operation = Self.operations[index]
        var cases: [EncodingCase] = []
        for size in OperandSize.both {
            for destination in Register.all {
                for immediate in Self.immediates {
                    cases.append(EncodingCase("\(operation.mnemonic) \(destination.name(size)), \(immediate)") {
                        operation.regImm(&$0, destination, immediate, size)
                    })
                }
            }
        }
        try expectMatchesLLVM(cases)
    }

    @Test("register, memory and memory, register with every register and special base", arguments: operations.indices)
    func registerMemory(_ index: Int) throws {
        let operation = Self.operations[index]
        var cases: [EncodingCase] = []
        for size in OperandSize.both {
            for register in Register.all {
                for operand in MemoryOperand.representative {
                    cases.append(EncodingCase("\(operation.mnemonic) \(register.name(size)), \(size.pointer) \(operand.text)") {
                        operation.regMem(&$0, register, operand.memory, size)
                    })
                    cases.append(EncodingCase("\(operation.mnemonic) \(size.pointer) \(operand.text), \(register.name(size))") {
                        operation.memReg(&$0, operand.memory, register, size)
                    })
                }
            }
        }
        try expectMatchesLLVM(cases)
    }

    @Test("memory, immediate: imm8 and imm32 forms", arguments: operations.indices)
    func memoryImmediate(_ index: Int) throws {
        let operation = Self.operations[index]
        var cases: [EncodingCase] = []
        for size in OperandSize.both {
            for operand in MemoryOperand.representative {
                for immediate in Self.immediates {
                    cases.append(EncodingCase("\(operation.mnemonic) \(size.pointer) \(operand.text), \(immediate)") {
                        operation.memImm(&$0, operand.memory, immediate, size)
                    })
                }
            }
        }
        try expectMatchesLLVM(cases)
    }

    @Test("test in register, immediate and memory forms")
    func testInstruction() throws {
        var cases: [EncodingCase] = []
        for size in OperandSize.both {
            for left in Register.all {
                for right in Register.all {
                    cases.append(EncodingCase("test \(left.name(size)), \(right.name(size))") { $0.test(left, right, size: size) })
                }
                for immediate: Int32 in [1, -1, 0x100, Int32.min] {
                    cases.append(EncodingCase("test \(left.name(size)), \(immediate)") { $0.test(left, immediate, size: size) })
                }
                for operand in MemoryOperand.representative {
                    cases.append(EncodingCase("test \(size.pointer) \(operand.text), \(left.name(size))") { $0.test(operand.memory, left, size: size) })
                }
            }
            for operand in MemoryOperand.representative {
                cases.append(EncodingCase("test \(size.pointer) \(operand.text), 4096") { $0.test(operand.memory, 4096, size: size) })
            }
        }
        try expectMatchesLLVM(cases)
    }
}
