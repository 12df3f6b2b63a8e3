import GuestVM
import X86Assembler

/// An operand-stack slot whose value the compiled code has not written yet: a copy of a local, the
/// frame's self, or a constant. `getlocal`, `putself` and `putobject` then cost nothing until an
/// instruction uses the value, which reads the local or self or folds the constant (`sub rax, 2` for
/// `n - 1` on tagged fixnums) instead of going through the stack; a cached send takes its receiver
/// from where it is (the receiver's slot becomes the callee's special slot, so it is never written). Every slot is written (materialized) before anything that reads the VM stack from
/// memory: sends, helper calls, interrupt polls, branches to other blocks; a side exit writes the
/// pending slots of its stack itself, so the interpreter resumes with exactly the stack it expects.
enum LazySlot: Equatable {
    /// The value is in the slot's memory.
    case memory
    /// The value is local `index`'s (which no code has assigned since).
    case local(Int)
    /// The value is this raw word (sign-extended).
    case immediate(Int32)
    /// The value is the frame's self (which never changes while the frame runs).
    case selfValue
}

/// Where an instruction finds an operand's value.
enum OperandSource {
    case memory(Memory)
    case immediate(Int32)
}

extension BlockCompiler {
    /// At most this many slots stay pending: a side exit writes them all, in the outlined code's budget.
    static let maxPendingSlots = 4

    /// Where slot `i`'s value is now.
    func source(_ i: Int) -> OperandSource {
        switch lazy[i] {
        case .memory: return .memory(slot(i))
        case .local(let index): return .memory(local(index))
        case .immediate(let raw): return .immediate(raw)
        case .selfValue: return .memory(Memory(base: .r13, displacement: Int32(ControlFrame.Offsets.selfValue)))
        }
    }

    /// Emits `register = value`.
    static func load(_ asm: inout Assembler, _ source: OperandSource, into register: Register) {
        switch source {
        case .memory(let m): asm.mov(register, m)
        case .immediate(let raw): asm.mov(register, raw)
        }
    }

    /// Loads slot `i` into `register` (nothing when `cachedRAX` says rax already holds it).
    mutating func load(_ i: Int, into register: Register) {
        if register == .rax && cachedRAX == i { return }
        let s = source(i)
        Self.load(&inline, s, into: register)
    }

    /// Pushes a slot holding local `index` without writing it.
    mutating func pushLocalCopy(_ index: Int) {
        limitPending()
        push(fixnum: context.isFixnumLocal(index))
        lazy[top] = .local(index)
        slotSource[top] = index
        lazyEpoch += 1
    }

    /// Pushes a slot holding the frame's self without writing it.
    mutating func pushSelf() {
        limitPending()
        push(fixnum: false)
        lazy[top] = .selfValue
        lazyEpoch += 1
    }

    /// Pushes a constant slot without writing it (a word that does not sign-extend from 32 bits is written).
    mutating func pushConstant(_ raw: UInt64) {
        let fixnum = raw & 1 == 1
        if let small = Int32(exactly: Int64(bitPattern: raw)) {
            limitPending()
            push(fixnum: fixnum)
            lazy[top] = .immediate(small)
            lazyEpoch += 1
        } else {
            inline.loadImmediate(.rax, raw)
            inline.mov(slot(context.depth), .rax)
            push(fixnum: fixnum)
        }
    }

    /// A slot's value, if it is a constant not yet written.
    func constant(_ i: Int) -> Int32? {
        if case .immediate(let raw) = lazy[i] { return raw }
        return nil
    }

    /// Writes slot `i` if it is pending (scratch r11: rax may hold the stack top, see `cachedRAX`).
    mutating func materialize(_ i: Int) {
        switch lazy[i] {
        case .memory:
            return
        case .local, .selfValue:
            guard case .memory(let from) = source(i) else { return }
            inline.mov(.r11, from)
            inline.mov(slot(i), .r11)
        case .immediate(let raw):
            let to = slot(i)
            inline.mov(to, raw)
        }
        lazy[i] = .memory
        lazyEpoch += 1
    }

    /// Writes every pending slot below `depth` (default: the whole stack).
    mutating func materializeAll(below depth: Int? = nil) {
        for i in 0..<(depth ?? context.depth) where lazy[i] != .memory { materialize(i) }
    }

    /// Writes the slots that copy local `index` (it is about to change).
    mutating func materializeCopies(of index: Int) {
        for i in 0..<context.depth where lazy[i] == .local(index) { materialize(i) }
    }

    /// Keeps the pending slots under `maxPendingSlots` before one more is pushed (writes the lowest).
    mutating func limitPending() {
        var count = 0
        var lowest = -1
        for i in 0..<context.depth where lazy[i] != .memory {
            count += 1
            if lowest < 0 { lowest = i }
        }
        if count >= Self.maxPendingSlots { materialize(lowest) }
    }

    /// Whether any slot below `depth` is pending (a side exit there must write it).
    func hasPending(below depth: Int) -> Bool {
        for i in 0..<min(depth, context.depth) where lazy[i] != .memory { return true }
        return false
    }

    /// Emits, into the outlined code, the writes of the pending slots below `depth` (scratch rax).
    mutating func emitPendingWrites(below depth: Int) {
        for i in 0..<min(depth, context.depth) {
            switch lazy[i] {
            case .memory:
                continue
            case .local, .selfValue:
                guard case .memory(let from) = source(i) else { continue }
                outlined.mov(.rax, from)
                outlined.mov(slot(i), .rax)
            case .immediate(let raw):
                let to = slot(i)
                outlined.mov(to, raw)
            }
        }
    }

    /// Guards slot `i`, whose value is in `register`, to be a fixnum (nothing if the context knows it).
    mutating func guardFixnum(_ i: Int, in register: Register, exitTo address: UInt) {
        guard !context.isFixnumSlot(i) else { return }
        inline.test(register, byte: 1)
        inline.jcc(.zero, absolute: address)
        context.setSlot(i, fixnum: true)
        let source = slotSource[i]
        if source >= 0 { context.setLocal(source, fixnum: true) }
    }
}
