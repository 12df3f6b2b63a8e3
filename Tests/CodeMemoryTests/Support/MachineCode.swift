/// Hand-encoded x86-64 snippets (System V ABI) for tests that must not depend on the assembler.
enum MachineCode {
    /// `mov eax, value; ret`
    static func returnConstant(_ value: UInt32) -> [UInt8] {
        [0xB8] + littleEndian(value) + [0xC3]
    }

    /// `lea rax, [rdi + rsi]; ret`: returns its two arguments' sum.
    static let addArguments: [UInt8] = [0x48, 0x8D, 0x04, 0x37, 0xC3]

    /// `push rbp; mov rbp, rsp; mov rax, target; call rax; add rax, 1; pop rbp; ret`: calls the C function at
    /// `target` with its own two arguments and returns the result plus one.
    static func callPlusOne(_ target: UInt) -> [UInt8] {
        [0x55, 0x48, 0x89, 0xE5, 0x48, 0xB8] + littleEndian(UInt64(target))
            + [0xFF, 0xD0, 0x48, 0x83, 0xC0, 0x01, 0x5D, 0xC3]
    }

    /// A JIT frame in a `fixture_link` chain, with `localBytes` (a multiple of 16) of locals:
    /// `push rbp; mov rbp, rsp; sub rsp, N; mov [rbp-8], rdi; mov rdi, [rdi+8]; mov rax, [rdi]; call rax;
    /// add rax, 1; leave; ret`. `returnOffset` is the offset of the instruction after the call.
    static func chainLink(localBytes: UInt32) -> (code: [UInt8], returnOffset: Int) {
        var code: [UInt8] = [0x55, 0x48, 0x89, 0xE5]
        if localBytes > 0 {
            code += [0x48, 0x81, 0xEC] + littleEndian(localBytes)
            code += [0x48, 0x89, 0x7D, 0xF8]
        }
        code += [0x48, 0x8B, 0x7F, 0x08, 0x48, 0x8B, 0x07, 0xFF, 0xD0]
        let returnOffset = code.count
        code += [0x48, 0x83, 0xC0, 0x01, 0xC9, 0xC3]
        return (code, returnOffset)
    }

    /// `jmp rel32` at the start of an 8-byte word (padded with int3) jumping `displacement` bytes past its end.
    static func jumpWord(displacement: Int32) -> UInt64 {
        let bytes: [UInt8] = [0xE9] + littleEndian(UInt32(bitPattern: displacement)) + [0xCC, 0xCC, 0xCC]
        return bytes.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }

    static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<T.bitWidth / 8).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}

typealias NoArgumentFunction = @convention(c) () -> Int
typealias TwoArgumentFunction = @convention(c) (Int, Int) -> Int

/// The code at `address` as a C function pointer.
func function<F>(at address: UInt, as type: F.Type) -> F {
    unsafeBitCast(UnsafeRawPointer(bitPattern: address)!, to: type)
}
