import Testing
import X86Assembler

/// The patchable-jump invariant (whole instruction inside one aligned 8-byte word) at every start
/// address, and the retarget word computation.
@Suite struct PatchableJumpTests {
    /// Emits `leading` bytes of filler, then a patchable jump of the given flavour.
    static func emitJump(leading: Int, conditional: Bool, base: UInt = 0x7F00_0000_0000) -> (Assembler, PatchableJump) {
        var assembler = Assembler(baseAddress: base)
        assembler.emitBytes([UInt8](repeating: 0xCC, count: leading))
        let jump = conditional
            ? assembler.patchableJcc(.notEqual, absolute: base + 0x10_0000)
            : assembler.patchableJmp(absolute: base + 0x10_0000)
        return (assembler, jump)
    }

    @Test("at every start offset 0...15 the jump lies inside one aligned word, after the fewest nops")
    func alignmentInvariant() throws {
        var decodedByLLVM: [UInt8] = []  // every padding + jump, disassembled in one batch
        var expectedMnemonics: [String] = []
        for conditional in [false, true] {
            for leading in 0..<16 {
                var (assembler, jump) = Self.emitJump(leading: leading, conditional: conditional)
                let code = try assembler.finalize()
                let start = Int(jump.address - assembler.baseAddress)
                #expect(Int(jump.address & 7) + jump.length <= 8)
                #expect(jump.wordAddress == jump.address & ~7)
                #expect(code.count == start + jump.length)
                // Padding is needed only when the instruction would cross its word, and then it moves to the next word.
                let natural = leading % 8
                let expectedPadding = natural + jump.length <= 8 ? 0 : 8 - natural
                #expect(start - leading == expectedPadding, "leading \(leading), conditional \(conditional)")
                decodedByLLVM += code[leading...]
                // At most 4 bytes of padding: one multi-byte nop.
                if expectedPadding > 0 { expectedMnemonics.append("nop") }
                expectedMnemonics.append(conditional ? "jne" : "jmp")
            }
        }
        let decoded = try LLVMMC.disassemble(decodedByLLVM)
        #expect(decoded.count == expectedMnemonics.count)
        for (instruction, mnemonic) in zip(decoded, expectedMnemonics) {
            #expect(instruction.hasPrefix(mnemonic), "\(instruction) should be \(mnemonic)")
        }
    }

    @Test("the retargeted word changes only the displacement and decodes to the new target",
          arguments: 0..<16, [false, true])
    func retargetWord(leading: Int, conditional: Bool) throws {
        let base: UInt = 0x7F00_0000_0000  // 8-aligned, so words of the buffer are words in memory
        var (assembler, jump) = Self.emitJump(leading: leading, conditional: conditional, base: base)
        var code = try assembler.finalize()
        code += [UInt8](repeating: 0xCC, count: 16)  // what follows the jump in the page
        let wordOffset = Int(jump.wordAddress - base)
        let word = code[wordOffset..<wordOffset + 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(try PatchableJump.target(jumpAt: jump.address, word: word) == base + 0x10_0000)

        for newTarget in [base &- 0x7000_0000, base + 3, jump.address, base + 0x7FFF_0000] {
            let newWord = try jump.retargetedWord(currentWord: word, newTarget: newTarget)
            #expect(try PatchableJump.target(jumpAt: jump.address, word: newWord) == newTarget)
            var patched = code
            for byte in 0..<8 { patched[wordOffset + byte] = UInt8(truncatingIfNeeded: newWord >> (8 * UInt64(byte))) }
            // Only the displacement bytes differ, and the result is what the assembler emits for a
            // jump to the new target at that address.
            let displacementStart = Int(jump.address - base) + jump.length - 4
            for index in code.indices where !(displacementStart..<displacementStart + 4).contains(index) {
                #expect(patched[index] == code[index])
            }
            var reference = Assembler(baseAddress: jump.address)
            if conditional { reference.jcc(.notEqual, absolute: newTarget) } else { reference.jmp(absolute: newTarget) }
            let start = Int(jump.address - base)
            #expect(try Array(patched[start..<start + jump.length]) == reference.finalize())
        }
    }

    @Test("retargeting beyond ±2 GiB is a typed error")
    func retargetOutOfRange() throws {
        var (assembler, jump) = Self.emitJump(leading: 3, conditional: false)
        let code = try assembler.finalize()
        let wordOffset = Int(jump.wordAddress - assembler.baseAddress)
        let word = code[wordOffset..<min(code.count, wordOffset + 8)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let far = jump.address + 0x1_0000_0000
        #expect(throws: PatchableJumpError.targetOutOfRange(address: jump.address, target: far)) {
            try jump.retargetedWord(currentWord: word, newTarget: far)
        }
    }

    @Test("a word without a patchable jump at the given address is refused")
    func refusesNonJumps() {
        // `ret; int3...` is not a jump; a jmp that starts at byte 4 of its word would cross into the next word.
        #expect(throws: PatchableJumpError.notAPatchableJump(address: 0x1000)) {
            try PatchableJump.retargetedWord(jumpAt: 0x1000, currentWord: 0xCCCC_CCCC_CCCC_CCC3, newTarget: 0x2000)
        }
        let crossing: UInt64 = 0x0000_00E9_0000_0000
        #expect(throws: PatchableJumpError.notAPatchableJump(address: 0x1004)) {
            try PatchableJump.retargetedWord(jumpAt: 0x1004, currentWord: crossing, newTarget: 0x2000)
        }
    }

    @Test("patchable jumps to labels resolve at finalize like ordinary near jumps")
    func toLabels() throws {
        var assembler = Assembler(baseAddress: 0x1006)
        let target = assembler.newLabel()
        let jmp = assembler.patchableJmp(target)
        let jcc = assembler.patchableJcc(.less, target)
        assembler.bind(target)
        let code = try assembler.finalize()
        let jmpWordStart = Int(jmp.wordAddress) - 0x1006
        #expect(jmp.address == 0x1008)  // 0x1006 + 5 would cross; two nop bytes first
        #expect(jmpWordStart == 2)
        #expect(try PatchableJump.target(jumpAt: jcc.address, word: Self.word(code, base: 0x1006, at: jcc.wordAddress)) == assembler.address(of: target))
    }

    static func word(_ code: [UInt8], base: UInt, at address: UInt) -> UInt64 {
        let start = Int(address - base)
        return (0..<8).reduce(UInt64(0)) { word, byte in
            let index = start + byte
            return word | UInt64(index < code.count ? code[index] : 0xCC) << (8 * UInt64(byte))
        }
    }
}
