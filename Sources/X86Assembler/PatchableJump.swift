/// A `jmp rel32` or `jcc rel32` that can be retargeted while other threads may be executing it.
///
/// ## Scheme
/// When a patchable jump is emitted, the assembler first pads with no-ops so that the *whole*
/// instruction (5 bytes for `jmp`, 6 for `jcc`) lies inside one naturally aligned 8-byte word of the
/// final code address: `jmp` starts at `address % 8` in 0...3, `jcc` in 0...2. At most 4 bytes of
/// padding are added, and the instruction can never straddle a cache line.
///
/// To retarget, the patcher reads that aligned word, computes the replacement with
/// ``retargetedWord(jumpAt:currentWord:newTarget:)`` (only the four displacement bytes change;
/// the opcode and the neighbouring bytes of other instructions are carried over unchanged), and
/// writes it back with one atomic, aligned 8-byte store through the writable view of the code page.
/// A thread fetching the jump at the same time therefore decodes either the old or the new
/// instruction, never a mix of the two: an aligned 8-byte store is single-copy atomic on x86-64,
/// the instruction is wholly inside it, and no instruction boundary moves. (The Intel SDM's formal
/// cross-modifying-code protocol also has the executing thread serialize; production JITs patch
/// live x86 jump and call displacements with one atomic store under this same containment rule, and
/// `AssembledCodeExecutionTests` retargets a jump continuously while a thread runs through it.)
///
/// A patchable `jmp` to a label bound right after it behaves as a 5-byte no-op, which makes it an
/// entry guard: invalidating the code later redirects the guard to a stub, so no new thread enters.
///
/// The word must be read and written with the code already at its final address; retargeting
/// relies on `address` being the address the CPU executes (the RX view), while the store goes
/// through the RW view at the same page offset.
public struct PatchableJump: Hashable, Sendable {
    /// Which jump instruction was emitted.
    public enum Kind: Hashable, Sendable {
        /// `jmp rel32` (E9 + 4 bytes).
        case jmp
        /// `jcc rel32` (0F 8x + 4 bytes).
        case jcc(Condition)
    }

    /// The address of the jump's first byte in the running code.
    public let address: UInt
    /// The instruction emitted.
    public let kind: Kind

    /// Creates a description of a patchable jump at `address` (normally returned by the assembler).
    @inlinable public init(address: UInt, kind: Kind) {
        self.address = address
        self.kind = kind
    }

    /// Instruction length in bytes: 5 for `jmp`, 6 for `jcc`.
    @inlinable public var length: Int {
        if case .jmp = kind { return 5 }
        return 6
    }

    /// The aligned 8-byte word that contains the whole instruction.
    @inlinable public var wordAddress: UInt { Self.wordAddress(ofJumpAt: address) }

    /// The aligned 8-byte word that contains a patchable jump starting at `address`.
    @inlinable public static func wordAddress(ofJumpAt address: UInt) -> UInt { address & ~7 }

    /// The word to store at ``wordAddress`` so that this jump goes to `newTarget`.
    @inlinable public func retargetedWord(currentWord: UInt64, newTarget: UInt) throws(PatchableJumpError) -> UInt64 {
        try Self.retargetedWord(jumpAt: address, currentWord: currentWord, newTarget: newTarget)
    }

    /// Given the address of a patchable jump, the current contents of its aligned 8-byte word
    /// (little-endian, as loaded from ``wordAddress(ofJumpAt:)``) and a new target, returns the word
    /// to store atomically in its place.
    ///
    /// Throws ``PatchableJumpError/notAPatchableJump(address:)`` if the word does not hold a
    /// `jmp rel32`/`jcc rel32` at that address wholly inside the word, and
    /// ``PatchableJumpError/targetOutOfRange(address:target:)`` if `newTarget` is beyond ±2 GiB.
    @inlinable
    public static func retargetedWord(jumpAt address: UInt, currentWord: UInt64, newTarget: UInt) throws(PatchableJumpError) -> UInt64 {
        let (displacementShift, length) = try decode(jumpAt: address, word: currentWord)
        let distance = Int(bitPattern: newTarget &- (address &+ UInt(length)))
        guard let displacement = Int32(exactly: distance) else {
            throw .targetOutOfRange(address: address, target: newTarget)
        }
        let mask = UInt64(UInt32.max) << displacementShift
        return (currentWord & ~mask) | (UInt64(UInt32(bitPattern: displacement)) << displacementShift)
    }

    /// The target of the patchable jump at `address` whose aligned word currently holds `word`.
    @inlinable
    public static func target(jumpAt address: UInt, word: UInt64) throws(PatchableJumpError) -> UInt {
        let (displacementShift, length) = try decode(jumpAt: address, word: word)
        let displacement = Int32(bitPattern: UInt32(truncatingIfNeeded: word >> displacementShift))
        return address &+ UInt(length) &+ UInt(bitPattern: Int(displacement))
    }

    /// Bit shift of the displacement inside the word and the instruction length.
    @inlinable
    static func decode(jumpAt address: UInt, word: UInt64) throws(PatchableJumpError) -> (shift: UInt64, length: Int) {
        let start = UInt64(address & 7)
        func byte(_ index: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: word >> (8 * index)) }
        if start <= 3 && byte(start) == 0xE9 {
            return (8 * (start + 1), 5)
        }
        if start <= 2 && byte(start) == 0x0F && byte(start + 1) & 0xF0 == 0x80 {
            return (8 * (start + 2), 6)
        }
        throw .notAPatchableJump(address: address)
    }
}

/// Why a patchable jump could not be retargeted.
public enum PatchableJumpError: Error, Equatable, Sendable {
    /// The word does not hold a `jmp rel32` or `jcc rel32` starting at `address` and ending inside the word.
    case notAPatchableJump(address: UInt)
    /// `target` is more than ±2 GiB from the jump at `address`.
    case targetOutOfRange(address: UInt, target: UInt)
}

extension Assembler {
    /// Pads so that an instruction of `length` bytes (≤ 8) starts inside one aligned 8-byte word.
    @inlinable mutating func padForPatchableInstruction(length: Int) {
        let start = Int(currentAddress & 7)
        if start + length > 8 { nop(8 - start) }
    }

    /// Emits a ``PatchableJump`` `jmp rel32` to `label`, padded so it can be retargeted atomically.
    @inlinable public mutating func patchableJmp(_ label: Label) -> PatchableJump {
        padForPatchableInstruction(length: 5)
        let jump = PatchableJump(address: currentAddress, kind: .jmp)
        jmp(label, width: .near)
        return jump
    }

    /// Emits a ``PatchableJump`` `jmp rel32` to the absolute address `target`.
    @inlinable public mutating func patchableJmp(absolute target: UInt) -> PatchableJump {
        padForPatchableInstruction(length: 5)
        let jump = PatchableJump(address: currentAddress, kind: .jmp)
        jmp(absolute: target)
        return jump
    }

    /// Emits a ``PatchableJump`` `jcc rel32` to `label`, padded so it can be retargeted atomically.
    @inlinable public mutating func patchableJcc(_ condition: Condition, _ label: Label) -> PatchableJump {
        padForPatchableInstruction(length: 6)
        let jump = PatchableJump(address: currentAddress, kind: .jcc(condition))
        jcc(condition, label, width: .near)
        return jump
    }

    /// Emits a ``PatchableJump`` `jcc rel32` to the absolute address `target`.
    @inlinable public mutating func patchableJcc(_ condition: Condition, absolute target: UInt) -> PatchableJump {
        padForPatchableInstruction(length: 6)
        let jump = PatchableJump(address: currentAddress, kind: .jcc(condition))
        jcc(condition, absolute: target)
        return jump
    }
}
