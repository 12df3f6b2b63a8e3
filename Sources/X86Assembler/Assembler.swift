import Synchronization

/// An x86-64 machine-code assembler for code whose final address is known up front.
///
/// The JIT knows where a block will live (the RX address of a code page) before generating it, so
/// rel32 jumps and calls to absolute targets and RIP-relative operands are computed against
/// `baseAddress` as they are emitted. Label references are patched by ``resolve()`` / ``finalize()``.
///
/// Emit methods never throw and never trap: the first invalid request is remembered and reported by
/// `finalize()`, which keeps the hot emission path free of error plumbing. The code buffer is
/// reserved up front and reused across ``reset(baseAddress:)``; each instruction is built in
/// registers and stored in one step, and nothing is allocated per instruction. To install code
/// without copying it, call ``resolve()`` and write the bytes ``withUnsafeCode(_:)`` hands over.
///
/// ```swift
/// var asm = Assembler(baseAddress: pageAddress)
/// let loop = asm.newLabel()
/// asm.bind(loop)
/// asm.sub(.rdi, 1)
/// asm.jcc(.notZero, loop)
/// asm.ret()
/// let code = try asm.finalize()
/// ```
public struct Assembler: Sendable {
    /// A label reference whose displacement is written by `finalize()`.
    @usableFromInline struct LabelFixup: Sendable {
        @usableFromInline var label: Label
        /// Offset of the displacement field.
        @usableFromInline var position: Int
        /// Offset of the next instruction, the point the CPU measures the displacement from.
        @usableFromInline var instructionEnd: Int
        /// Added to the label's offset (RIP-relative `label + displacement`).
        @usableFromInline var addend: Int
        /// One-byte displacement (`jmp rel8`, `jcc rel8`) instead of four bytes.
        @usableFromInline var isShort: Bool

        @inlinable init(label: Label, position: Int, instructionEnd: Int, addend: Int, isShort: Bool) {
            self.label = label
            self.position = position
            self.instructionEnd = instructionEnd
            self.addend = addend
            self.isShort = isShort
        }
    }

    /// Backing store of the code: `storage[..<length]` is the code emitted so far. It is always fully
    /// initialized and kept at least `ByteRun.capacity` bytes longer than `length`, so an instruction
    /// is stored with two 8-byte writes after a single uniqueness check.
    @usableFromInline var storage: [UInt8]
    /// Number of code bytes emitted.
    @usableFromInline var length: Int
    /// Offset of each label by id; `unbound` until `bind`.
    @usableFromInline var labelOffsets: [Int]
    @usableFromInline var fixups: [LabelFixup]
    @usableFromInline var firstError: AssemblerError?
    @usableFromInline static var unbound: Int { -1 }
    /// Tags the labels of this assembler since its last reset, so a stale or foreign label is caught.
    @usableFromInline var generation: UInt32
    /// Source of generations, shared by all assemblers (and threads).
    static let generations = Atomic<UInt32>(0)

    static func nextGeneration() -> UInt32 {
        generations.wrappingAdd(1, ordering: .relaxed).newValue
    }

    /// The address the first emitted byte will have when the code runs.
    public private(set) var baseAddress: UInt

    /// Creates an assembler for code that will run at `baseAddress`, reserving `capacity` bytes.
    public init(baseAddress: UInt, capacity: Int = 4096) {
        self.baseAddress = baseAddress
        storage = [UInt8](repeating: 0xCC, count: max(capacity, 0) + ByteRun.capacity)
        length = 0
        labelOffsets = []
        labelOffsets.reserveCapacity(64)
        fixups = []
        fixups.reserveCapacity(64)
        firstError = nil
        generation = Self.nextGeneration()
    }

    /// Forgets all code, labels and errors but keeps the reserved buffers, so one assembler can
    /// generate many blocks without reallocating. Labels created before the reset become unknown.
    public mutating func reset(baseAddress: UInt) {
        self.baseAddress = baseAddress
        length = 0
        labelOffsets.removeAll(keepingCapacity: true)
        fixups.removeAll(keepingCapacity: true)
        firstError = nil
        generation = Self.nextGeneration()
    }

    /// Number of bytes emitted so far, which is also the offset of the next instruction.
    @inlinable public var offset: Int { length }

    /// The address the next emitted instruction will have.
    @inlinable public var currentAddress: UInt { baseAddress &+ UInt(length) }

    /// Creates a new, unbound label.
    @inlinable public mutating func newLabel() -> Label {
        labelOffsets.append(Self.unbound)
        return Label(id: labelOffsets.count - 1, generation: generation)
    }

    /// Binds `label` to the current offset. Binding a label twice is reported by `finalize()`.
    @inlinable public mutating func bind(_ label: Label) {
        guard owns(label) else { return record(.unknownLabel(label)) }
        guard labelOffsets[label.id] == Self.unbound else { return record(.labelAlreadyBound(label)) }
        labelOffsets[label.id] = length
    }

    /// The offset `label` is bound to, or nil while it is unbound.
    @inlinable public func offset(of label: Label) -> Int? {
        guard owns(label), labelOffsets[label.id] != Self.unbound else { return nil }
        return labelOffsets[label.id]
    }

    /// The address `label` will have when the code runs, or nil while it is unbound.
    @inlinable public func address(of label: Label) -> UInt? {
        offset(of: label).map { baseAddress &+ UInt($0) }
    }

    /// Resolves every label reference and returns a copy of the finished machine code.
    ///
    /// Throws the first error recorded while emitting, ``AssemblerError/unboundLabel(_:)`` for a
    /// referenced label that was never bound, or ``AssemblerError/shortBranchOutOfRange(offset:label:)``.
    /// The assembler keeps its contents; calling `finalize()` again returns the same code.
    /// To install code without the copy, call ``resolve()`` and then ``withUnsafeCode(_:)``.
    public mutating func finalize() throws(AssemblerError) -> [UInt8] {
        try resolve()
        return Array(storage[..<length])
    }

    /// Resolves every label reference in place, reporting the same errors as ``finalize()``.
    /// Afterwards ``withUnsafeCode(_:)`` sees the finished code. Resolving again is harmless.
    public mutating func resolve() throws(AssemblerError) {
        if let firstError { throw firstError }
        for fixup in fixups {
            guard owns(fixup.label) else { throw .unknownLabel(fixup.label) }
            let target = labelOffsets[fixup.label.id]
            guard target != Self.unbound else { throw .unboundLabel(fixup.label) }
            let displacement = target + fixup.addend - fixup.instructionEnd
            if fixup.isShort {
                guard let short = Int8(exactly: displacement) else {
                    throw .shortBranchOutOfRange(offset: fixup.position - 1, label: fixup.label)
                }
                storage[fixup.position] = UInt8(bitPattern: short)
            } else {
                // Code is far smaller than 2 GiB; a displacement that does not fit means a huge addend.
                guard let near = Int32(exactly: displacement) else {
                    throw .targetOutOfRange(offset: fixup.position, target: baseAddress &+ UInt(bitPattern: target + fixup.addend))
                }
                write32(near, at: fixup.position)
            }
        }
    }

    /// Calls `body` with the code emitted so far, without copying it (for instance to write it
    /// straight into a code page). Label references are final only after ``resolve()``.
    /// The pointer must not escape `body`.
    @inlinable
    public func withUnsafeCode<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        // Array.withUnsafeBytes does not forward typed errors, so carry the outcome out explicitly.
        let count = length
        var outcome: Swift.Result<Result, Failure>?
        storage.withUnsafeBytes { raw in
            outcome = Swift.Result { () throws(Failure) -> Result in
                try body(UnsafeRawBufferPointer(rebasing: raw[..<count]))
            }
        }
        return try outcome.unsafelyUnwrapped.get()
    }

    /// Whether `label` was created by this assembler since its last reset.
    @inlinable func owns(_ label: Label) -> Bool {
        label.generation == generation && labelOffsets.indices.contains(label.id)
    }

    /// Remembers the first error; later ones are usually consequences of it.
    @inlinable mutating func record(_ error: AssemblerError) {
        if firstError == nil { firstError = error }
    }
}
