import X86Assembler

// Spelling of operands in llvm-mc's Intel syntax, so tests can print the text of the instruction
// they ask the assembler for.

extension Register {
    static let all = Register.allCases

    var name64: String { ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi"].element(rawValue) ?? "r\(rawValue)" }
    var name32: String { ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"].element(rawValue) ?? "r\(rawValue)d" }
    var name16: String { ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di"].element(rawValue) ?? "r\(rawValue)w" }
    var name8: String { ["al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil"].element(rawValue) ?? "r\(rawValue)b" }

    func name(_ size: OperandSize) -> String { size == .qword ? name64 : name32 }
}

extension Array {
    func element(_ index: UInt8) -> Element? { Int(index) < count ? self[Int(index)] : nil }
}

extension OperandSize {
    static let both: [OperandSize] = [.qword, .dword]
    var pointer: String { self == .qword ? "qword ptr" : "dword ptr" }
}

extension Condition {
    /// The mnemonic suffix (`jne`, `setl`, `cmovae`).
    var suffix: String {
        ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"][Int(rawValue)]
    }
}

/// A memory operand together with its Intel-syntax spelling (without the size keyword).
struct MemoryOperand {
    let memory: Memory
    let text: String

    init(base: Register, index: Register? = nil, scale: Scale = .x1, displacement: Int32 = 0) {
        var text = "[" + base.name64
        if let index {
            memory = Memory(base: base, index: index, scale: scale, displacement: displacement)
            text += " + \(index.name64)*\(1 << scale.rawValue)"
        } else {
            memory = Memory(base: base, displacement: displacement)
        }
        if displacement != 0 {
            text += displacement < 0 ? " - \(-Int64(displacement))" : " + \(displacement)"
        }
        self.text = text + "]"
    }

    /// Displacements at the edges of the disp8 and disp32 encodings.
    static let displacements: [Int32] = [0, 1, -1, 127, -128, 128, -129, 0x1234_5678, Int32.min]

    /// Every base with every interesting displacement, and every base/index pair at every scale.
    static let exhaustive: [MemoryOperand] = {
        var result: [MemoryOperand] = []
        for base in Register.all {
            for displacement in displacements { result.append(MemoryOperand(base: base, displacement: displacement)) }
            for index in Register.all where index != .rsp {
                for scale in [Scale.x1, .x2, .x4, .x8] {
                    for displacement: Int32 in [0, -8, 0x400] {
                        result.append(MemoryOperand(base: base, index: index, scale: scale, displacement: displacement))
                    }
                }
            }
        }
        return result
    }()

    /// A small set that still hits every special case: rsp/r12 (SIB), rbp/r13 (displacement),
    /// extended bases and indexes, disp8 and disp32.
    static let representative: [MemoryOperand] = [
        MemoryOperand(base: .rax),
        MemoryOperand(base: .rsp, displacement: 8),
        MemoryOperand(base: .rbp),
        MemoryOperand(base: .rbp, displacement: -16),
        MemoryOperand(base: .r12),
        MemoryOperand(base: .r13),
        MemoryOperand(base: .r15, displacement: 0x1000),
        MemoryOperand(base: .rdi, index: .r9, scale: .x8, displacement: 24),
        MemoryOperand(base: .r13, index: .r12, scale: .x4),
        MemoryOperand(base: .rsp, index: .rbp, scale: .x2, displacement: -0x12345),
    ]
}

/// One instruction: its llvm-mc text and the assembler call that should produce the same bytes.
struct EncodingCase {
    let text: String
    let emit: (inout Assembler) -> Void

    init(_ text: String, _ emit: @escaping (inout Assembler) -> Void) {
        self.text = text
        self.emit = emit
    }
}

/// Assembles each case alone at `baseAddress` and compares it with llvm-mc's encoding of its text
/// (all texts go to llvm-mc in one batch). Returns the number of cases compared.
@discardableResult
func expectMatchesLLVM(_ cases: [EncodingCase], baseAddress: UInt = 0x7F00_0000_1000) throws -> Int {
    let expected = try LLVMMC.encodings(of: cases.map(\.text))
    var mismatches: [String] = []
    for (encodingCase, llvmBytes) in zip(cases, expected) {
        var assembler = Assembler(baseAddress: baseAddress)
        encodingCase.emit(&assembler)
        let ours = try assembler.finalize()
        if ours != llvmBytes {
            mismatches.append("\(encodingCase.text): ours \(hex(ours)), llvm-mc \(hex(llvmBytes))")
        }
    }
    if !mismatches.isEmpty {
        throw LLVMMC.Failure(description: "\(mismatches.count) of \(cases.count) encodings differ:\n" + mismatches.prefix(20).joined(separator: "\n"))
    }
    return cases.count
}

func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined(separator: " ")
}
