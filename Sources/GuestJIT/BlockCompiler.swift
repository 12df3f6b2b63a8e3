import CodeGC
import CodeMemory
import GuestVM
import X86Assembler

/// Compiles one block version: instructions from `pc` with `context` until a branch, `leave` or an
/// instruction the JIT does not compile (which side-exits). Code goes to the inline half of the current
/// page, side exits to its outlined half; when a page runs out mid-block the block jumps to a fresh page
/// and continues there (the block then has several ranges).
///
/// Registers in JIT code: r12 runtime block, r13 cfp, r14 ep. Operand-stack slot `i` lives at
/// `ep + (localCount + i) * 8` (the depth is known statically), so blocks keep no value in a register
/// across instructions (rax at most into the next one, see `cachedRAX`); a slot may stay unwritten while
/// its value is a local or a constant (`LazySlot`).
struct BlockCompiler {
    /// Bytes an instruction may need at most, inline and outlined; a chunk switches pages before that.
    /// The largest are a fused comparison and branch with its interrupt check (~70 bytes inline, two exits
    /// of 22 bytes outlined) and `dupN` (8 bytes a slot). Kept tight: a block starts on the current page
    /// only with this much room, and one that splits leaves the rest of a page unused.
    static let inlineReserve = 192
    static let outlinedReserve = 96

    struct Chunk {
        var page: Int
        var inline: Assembler
        var outlined: Assembler
        /// Side exits emitted in this chunk: (pc << 8 | depth, address). Few per block: searched linearly.
        var exits: [(key: Int, address: UInt)] = []
        /// A packed chunk (see ``Placement/packed(page:half:inlineBytes:)``): the part both streams go to
        /// and the bytes kept for inline code before the outlined code starts.
        var packed: (half: PageHalf, inlineBytes: Int)?
    }

    struct PendingBranch {
        var jumps: [PatchableJump]
        var keys: [UInt64]
    }

    struct PendingReturnPoint {
        var label: Label
        var jump: PatchableJump
        var chunkIndex: Int
        var info: GuestJIT.ReturnExitInfo
    }

    unowned(unsafe) let jit: GuestJIT
    let iseq: ISeq
    let localCount: Int
    var context: TypeContext
    /// The lists below live in the JIT's reused ``CompileScratch`` (borrowed for this compilation).
    private var scratch = CompileScratch()
    /// Stack slot -> the local it is a copy of (-1 none), so a guard on the copy teaches the local too.
    var slotSource: [Int] {
        _read { yield scratch.slotSource }
        _modify { yield &scratch.slotSource }
    }
    var chunks: [Chunk] {
        _read { yield scratch.chunks }
        _modify { yield &scratch.chunks }
    }
    var ranges: [Range<UInt>] {
        _read { yield scratch.ranges }
        _modify { yield &scratch.ranges }
    }
    var outlinedRanges: [Range<UInt>] {
        _read { yield scratch.outlinedRanges }
        _modify { yield &scratch.outlinedRanges }
    }
    var branches: [(PendingBranch, chunkIndex: Int)] {
        _read { yield scratch.branches }
        _modify { yield &scratch.branches }
    }
    var returnPoints: [PendingReturnPoint] {
        _read { yield scratch.returnPoints }
        _modify { yield &scratch.returnPoints }
    }
    var heldPages: [Int] {
        _read { yield scratch.heldPages }
        _modify { yield &scratch.heldPages }
    }
    /// Per stack slot: written, or pending (see `LazySlot`).
    var lazy: [LazySlot] {
        _read { yield scratch.lazy }
        _modify { yield &scratch.lazy }
    }
    /// Changes whenever the pending slots change: side exits are shared only within one pending state.
    var lazyEpoch = 0
    /// The stack slot rax holds as well while the current instruction is compiled (nil: none): what the
    /// previous one left there (`resultInRAX`), so `n + 1` then `leave` does not reload what it stored.
    var cachedRAX: Int?
    var resultInRAX: Int?
    /// Whether nothing but this frame's own code can assign its locals: no block of the ISEQ can capture
    /// them (eval runs in a scope of its own), so what the context knows about them survives calls.
    let localsPrivate: Bool
    /// The last instruction the block compiled (for tools: the block covers ISEQ pcs startPC...lastPC).
    var lastPC = 0

    /// Whether the block must go whole onto its first page (see ``Placement``).
    var wholeBlock = false

    /// Whether the code is for every ISEQ with this bytecode (``GuestJIT/SharedBodies``): it then names
    /// no address of this ISEQ (side exits find the pc from the frame's ISEQ at run time) and must be a
    /// whole method body in one block that calls nothing (else ``NotShareable``).
    let forSharing: Bool
    /// Set by an instruction compiled in a way shared code cannot be (it calls a helper with an address of
    /// this ISEQ, or may re-enter the VM).
    var unshareable = false

    /// A block compiled ``forSharing`` turned out not to be a self-contained, call-free method body.
    struct NotShareable: Error {}

    /// Tells the JIT why the compilation for sharing stops (placement reports only that it failed).
    func notShareable() -> NotShareable {
        jit.sharingRefused = true
        return NotShareable()
    }

    /// Where a block's code goes.
    enum Placement {
        /// The current page (or a fresh one with room), continuing on fresh pages whenever the page runs
        /// out: any size, but each page it leaves keeps the room an instruction might have needed.
        case splitting
        /// All of it on `page`, or nothing: compiled to the end whatever the room, written only if it fits
        /// (else ``DoesNotFit`` tells its exact size, ``LargerThanPage`` that no page can hold it).
        case whole(page: Int)
        /// Like `whole`, with both streams in one free stretch of `half`: the inline code, then (from
        /// `inlineBytes` on, the gap INT3) its outlined code. For a block whose size is known: it needs one
        /// stretch of inline + outlined bytes instead of room in both of the page's parts.
        case packed(page: Int, half: PageHalf, inlineBytes: Int)
    }

    /// A `.whole` block did not fit its page; its code needs this many bytes in each part at any address
    /// (inline: its size here plus what its patchable jumps may pad more elsewhere).
    struct DoesNotFit: Error {
        var inline: Int
        var outlined: Int
    }

    /// A `.whole` block grew beyond a page: only `.splitting` can place it.
    struct LargerThanPage: Error {}

    /// Bumped by every entry into the method (the eviction policy's notion of "hot").
    let entryCounter: UnsafeMutablePointer<UInt64>?
    let owner: CodeOwnerID

    /// A compiler working in `scratch` (emptied here, and left empty until ``finish(into:)`` hands it back).
    init(jit: GuestJIT, iseq: ISeq, owner: CodeOwnerID, context: TypeContext, entryCounter: UnsafeMutablePointer<UInt64>?,
         forSharing: Bool = false, scratch: inout CompileScratch) {
        self.jit = jit
        self.forSharing = forSharing
        self.owner = owner
        self.entryCounter = entryCounter
        self.iseq = iseq
        self.localCount = iseq.localCount
        self.localsPrivate = !iseq.children.contains { $0.kind == .block }
        self.context = context
        scratch.prepare(stackSlots: iseq.maxStack + 2)
        swap(&self.scratch, &scratch)
    }

    /// Hands the buffers back for the next compilation (call when done with labels, ranges and pages).
    mutating func finish(into scratch: inout CompileScratch) {
        self.scratch.recycleChunks()
        swap(&self.scratch, &scratch)
    }

    var inline: Assembler {
        get { chunks[chunks.count - 1].inline }
        _modify { yield &chunks[chunks.count - 1].inline }
    }
    var outlined: Assembler {
        get { chunks[chunks.count - 1].outlined }
        _modify { yield &chunks[chunks.count - 1].outlined }
    }

    func slot(_ i: Int) -> Memory { Memory(base: .r14, displacement: Int32((localCount + i) * 8)) }
    func local(_ i: Int) -> Memory { Memory(base: .r14, displacement: Int32(i * 8)) }
    var top: Int { context.depth - 1 }

    // MARK: Pages and chunks

    mutating func startChunk(page: Int) {
        let p = PageIndex(page)
        var chunk = scratch.takeChunk(page: page, inlineAddress: jit.region.bumpAddress(.inline, of: p),
                                      outlinedAddress: jit.region.bumpAddress(.outlined, of: p))
        chunk.packed = nil
        scratch.chunks.append(chunk)
    }

    /// Starts the one chunk of a `.packed` block: both streams in `half`, the outlined one `inlineBytes` on.
    mutating func startPackedChunk(page: Int, half: PageHalf, inlineBytes: Int) {
        let base = jit.region.bumpAddress(half, of: PageIndex(page))
        var chunk = scratch.takeChunk(page: page, inlineAddress: base, outlinedAddress: base + UInt(inlineBytes))
        chunk.packed = (half, inlineBytes)
        scratch.chunks.append(chunk)
    }

    /// Whether the last chunk has room for one more instruction (read in place: no copy of the chunk).
    func lastChunkFits() -> Bool {
        let last = chunks.count - 1
        let p = PageIndex(chunks[last].page)
        return chunks[last].inline.offset + Self.inlineReserve <= jit.region.remaining(.inline, of: p)
            && chunks[last].outlined.offset + Self.outlinedReserve <= jit.region.remaining(.outlined, of: p)
    }

    /// Writes the finished chunk's code into its page.
    mutating func flushChunk(_ index: Int) throws {
        let (a, inlineCount, o, outlinedCount) = try Self.write(&scratch.chunks[index], to: jit.region)
        ranges.append(a..<(a + UInt(max(inlineCount, 1))))
        jit.counters.inlineBytes += inlineCount
        if outlinedCount > 0 {
            outlinedRanges.append(o..<(o + UInt(outlinedCount)))
            jit.counters.outlinedBytes += outlinedCount
        }
    }

    /// Resolves `chunk`'s code and writes it into its page; returns where its inline and outlined code went
    /// and their sizes. The chunk is borrowed in place (`inout`): a call on an array element read otherwise,
    /// even through a buffer pointer, copies it (eight retains and releases of its assemblers' buffers).
    private static func write(_ chunk: inout Chunk, to region: CodeRegion) throws
        -> (inline: UInt, inlineCount: Int, outlined: UInt, outlinedCount: Int) {
        let p = PageIndex(chunk.page)
        try chunk.inline.resolve()
        try chunk.outlined.resolve()
        let inlineCount = chunk.inline.offset
        let outlinedCount = chunk.outlined.offset
        let packed = chunk.packed
        let a = try chunk.inline.withUnsafeCode { bytes throws(CodeMemoryError) in
            try region.emit(bytes, in: packed?.half ?? .inline, of: p)
        }
        precondition(a == chunk.inline.baseAddress, "inline bump moved during compilation")
        var o: UInt = 0
        if outlinedCount > 0 {
            // A packed chunk's outlined code starts where its assembler was put: the gap stays INT3.
            if let packed, packed.inlineBytes > inlineCount {
                _ = try region.allocate(packed.inlineBytes - inlineCount, in: packed.half, of: p)
            }
            o = try chunk.outlined.withUnsafeCode { bytes throws(CodeMemoryError) in
                try region.emit(bytes, in: packed?.half ?? .outlined, of: p)
            }
            precondition(o == chunk.outlined.baseAddress, "outlined bump moved during compilation")
        }
        return (a, inlineCount, o, outlinedCount)
    }

    /// Makes sure the next instruction fits; otherwise jumps to a fresh page and continues there.
    ///
    /// The open chunk is written to its page *before* the fresh page is allocated: allocating may collect,
    /// and a collection that evicts emits stubs and exits at the bump pointers of the current page, which
    /// an unwritten chunk has already assumed as its own addresses. So the chunk ends in a patchable jump,
    /// goes to memory, and the jump is pointed at the fresh page once there is one (nothing can run the
    /// block before it is registered).
    mutating func ensureRoom() throws -> Bool {
        if wholeBlock {
            // The block is checked against its page once complete (its buffers are not the page's memory).
            if inline.offset + outlined.offset > jit.region.pageSize { throw LargerThanPage() }
            return true
        }
        if lastChunkFits() { return true }
        let bridge = inline.patchableJmp(absolute: jit.shared.exitInterpret)
        try flushChunk(chunks.count - 1)
        guard let page = jit.freshPage() else { return false }
        heldPages.append(page)
        let target = jit.region.bumpAddress(.inline, of: PageIndex(page))
        try jit.region.retargetJump(at: bridge.address, to: target)
        startChunk(page: page)
        jit.counters.splitBlocks += 1
        return true
    }

    /// Bytes the block's inline code may grow at another address: each patchable jump pads so that it lies
    /// in one aligned 8-byte word, by 0-4 bytes (`jmp`) or 0-5 (`jcc`) depending on where it starts.
    var paddingSlack: Int {
        var jumps = returnPoints.count
        for (pending, _) in branches { jumps += pending.jumps.count }
        return 5 * jumps
    }

    /// Throws unless the finished `.whole` or `.packed` block fits the room its page has now.
    func checkWholeBlockFits() throws {
        let p = PageIndex(chunks[0].page)
        let inlineBytes = chunks[0].inline.offset, outlinedBytes = chunks[0].outlined.offset
        if inlineBytes + outlinedBytes > jit.region.pageSize { throw LargerThanPage() }
        if let packed = chunks[0].packed {
            guard inlineBytes <= packed.inlineBytes, packed.inlineBytes + outlinedBytes <= jit.region.remaining(packed.half, of: p) else {
                throw DoesNotFit(inline: inlineBytes + paddingSlack, outlined: outlinedBytes)
            }
            return
        }
        guard inlineBytes <= jit.region.remaining(.inline, of: p),
              outlinedBytes <= jit.region.remaining(.outlined, of: p) else {
            throw DoesNotFit(inline: inlineBytes + paddingSlack, outlined: outlinedBytes)
        }
    }

    // MARK: Exits

    /// Address of a side exit that resumes the interpreter at instruction `pc` with `depth` stack slots.
    mutating func exit(pc: Int, depth: Int) -> UInt {
        let pending = hasPending(below: depth)
        let key = (pending ? lazyEpoch : 0) << 32 | pc << 8 | depth
        for exit in chunks[chunks.count - 1].exits where exit.key == key { return exit.address }
        let address = outlined.currentAddress
        if pending { emitPendingWrites(below: depth) }
        // pc and stack top in registers, the rest is shared (`SharedCode.exitTail`).
        if forSharing {
            outlined.mov(.rax, Int32(pc * MemoryLayout<Int>.stride), size: .dword)
            outlined.lea(.rdx, slot(depth))
            outlined.jmp(absolute: jit.shared.relativeExitTail, scratch: .rcx)
        } else {
            outlined.movabs(.rax, UInt64(UInt(bitPattern: iseq.code + pc)))
            outlined.lea(.rdx, slot(depth))
            outlined.jmp(absolute: jit.shared.exitTail, scratch: .rcx)
        }
        chunks[chunks.count - 1].exits.append((key, address))
        return address
    }

    mutating func guardFixnum(_ i: Int, exitTo address: UInt) {
        guard !context.isFixnumSlot(i) else { return }
        switch source(i) {
        case .memory(let m):
            inline.test(m, byte: 1)
            inline.jcc(.zero, absolute: address)
        case .immediate:
            inline.jmp(absolute: address)  // a constant that is not a fixnum
        }
        context.setSlot(i, fixnum: true)
        let source = slotSource[i]
        if source >= 0 { context.setLocal(source, fixnum: true) }
    }

    // MARK: Compilation

    /// Compiles the block starting at `startPC`; returns nil when there was no room for it.
    mutating func compile(
        startPC: Int, placement: Placement = .splitting
    ) throws -> (ranges: [Range<UInt>], outlined: [Range<UInt>])? {
        switch placement {
        case .splitting:
            if forSharing { throw notShareable() }
            guard let page = jit.pageWithRoom() else { return nil }
            startChunk(page: page)
        case .whole(let page):
            wholeBlock = true
            startChunk(page: page)
        case .packed(let page, let half, let inlineBytes):
            wholeBlock = true
            startPackedChunk(page: page, half: half, inlineBytes: inlineBytes)
        }
        if let entryCounter {
            inline.movabs(.rax, UInt64(UInt(bitPattern: entryCounter)))
            inline.add(Memory(base: .rax), 1)
        }
        if startPC == 0 && context.depth == 0 {
            // Method entry is an interrupt check too: recursion through call caches (no helper, no loop)
            // must reach a safepoint when another thread stops the world (the interpreter polls on exit).
            // It leaves rather than polls (`emitInterruptPoll`): every method has one, and a poll's
            // outlined code would double a tiny method's; one interpreted call per stop or collection.
            inline.cmp(Memory(base: .r12, displacement: RuntimeBlock.interrupt), byte: 0)
            inline.jcc(.notEqual, absolute: exit(pc: 0, depth: 0))
        }
        var pc = startPC
        let code = iseq.code
        instructions: while true {
            if forSharing && unshareable { throw notShareable() }
            guard try ensureRoom() else { return nil }
            guard pc < iseq.codeCount, let op = Opcode(rawValue: code[pc]) else {
                inline.jmp(absolute: exit(pc: pc, depth: context.depth))
                break
            }
            let next = pc + 1 + op.operandCount
            if op == .jump, Self.jumpsToLeave(code, pc: pc, count: iseq.codeCount) {
                // A forward jump to a `leave` (an `if` whose value the method returns): the block returns
                // itself, with the value where it is, instead of ending in a jump to a block that reloads it.
                pc = code[pc + 1]
                continue
            }
            // rax holds what the previous instruction said it left there, for this instruction only.
            cachedRAX = resultInRAX
            resultInRAX = nil
            if op == .send, iseq.callSites[code[pc + 1]].blockISeq == nil {
                // A cached send takes its receiver from where it is (see `emitSend`).
                let receiver = context.depth - 1 - iseq.callSites[code[pc + 1]].argc
                for i in 0..<context.depth where i != receiver && lazy[i] != .memory { materialize(i) }
            } else if !Self.readsLazySlots(op) {
                materializeAll()
            }
            if jit.vm.basicOperationsMask == 0 && Self.assumesBasicOperations(op) {
                // An operator the fast paths assume was redefined: the interpreter sends it.
                inline.jmp(absolute: exit(pc: pc, depth: context.depth))
                break instructions
            }
            switch op {
            case .nop:
                break
            case .putNil, .putTrue, .putFalse:
                let v: Value = op == .putNil ? .nil : (op == .putTrue ? .true : .false)
                pushConstant(v.raw)
            case .putSelf:
                pushSelf()
            case .putObject:
                pushConstant(UInt64(bitPattern: Int64(code[pc + 1])))
            case .pop:
                pop(1)
            case .dup:
                let fix = context.isFixnumSlot(top)
                let source = slotSource[top]
                switch lazy[top] {
                case .memory:
                    inline.mov(.rax, slot(top))
                    inline.mov(slot(context.depth), .rax)
                    push(fixnum: fix)
                    slotSource[top] = source
                case .local(let index):
                    pushLocalCopy(index)
                case .immediate(let raw):
                    pushConstant(UInt64(bitPattern: Int64(raw)))
                case .selfValue:
                    pushSelf()
                }
            case .dupN:
                let n = code[pc + 1]
                for i in 0..<n {
                    let from = context.depth - n
                    inline.mov(.rax, slot(from))
                    inline.mov(slot(context.depth), .rax)
                    push(fixnum: context.isFixnumSlot(from))
                    _ = i
                }
            case .setN:
                let n = code[pc + 1]
                inline.mov(.rax, slot(top))
                inline.mov(slot(top - n), .rax)
                context.setSlot(top - n, fixnum: context.isFixnumSlot(top))
                slotSource[top - n] = -1
            case .popUnder:
                let n = code[pc + 1]
                inline.mov(.rax, slot(top))
                inline.mov(slot(top - n), .rax)
                let fix = context.isFixnumSlot(top)
                pop(n + 1)
                push(fixnum: fix)
            case .getLocal0:
                pushLocalCopy(code[pc + 1])
            case .setLocal0:
                let index = code[pc + 1]
                // Copies of the old value are written first; the value itself is stored from where it is.
                for i in 0..<top where lazy[i] == .local(index) { materialize(i) }
                switch lazy[top] {
                case .local(let from) where from == index:
                    break
                case .immediate(let raw):
                    inline.mov(local(index), raw)
                default:
                    load(top, into: .rax)
                    inline.mov(local(index), .rax)
                }
                let fix = context.isFixnumSlot(top)
                pop(1)
                for i in 0..<context.depth where slotSource[i] == index { slotSource[i] = -1 }
                context.setLocal(index, fixnum: fix)
            case .optPlus, .optMinus, .optMult:
                let a = top - 1, b = top
                let exitAddress = exit(pc: pc, depth: context.depth)
                load(a, into: .rax)
                guardFixnum(a, in: .rax, exitTo: exitAddress)
                if op != .optMult, context.isFixnumSlot(b), let raw = constant(b) {
                    // Tagged: a + b = a + (b - 1), a - b = a - (b - 1).
                    if op == .optPlus { inline.add(.rax, raw - 1) } else { inline.sub(.rax, raw - 1) }
                } else {
                    load(b, into: .rcx)
                    guardFixnum(b, in: .rcx, exitTo: exitAddress)
                    switch op {
                    case .optPlus:
                        inline.sub(.rcx, 1)
                        inline.add(.rax, .rcx)
                    case .optMinus:
                        inline.sub(.rcx, 1)
                        inline.sub(.rax, .rcx)
                    default:
                        inline.sub(.rax, 1)
                        inline.sar(.rcx, 1)
                        inline.imul(.rax, .rcx)
                    }
                }
                inline.jcc(.overflow, absolute: exitAddress)
                if op == .optMult { inline.or(.rax, 1) }
                inline.mov(slot(a), .rax)
                pop(2)
                push(fixnum: true)
                resultInRAX = top
            case .optLt, .optLe, .optGt, .optGe, .optEq, .optNeq:
                let a = top - 1, b = top
                let condition: Condition
                switch op {
                case .optLt: condition = .less
                case .optLe: condition = .lessOrEqual
                case .optGt: condition = .greater
                case .optGe: condition = .greaterOrEqual
                case .optEq: condition = .equal
                default: condition = .notEqual
                }
                if let fused = fusedBranch(after: next) {
                    emitComparisonBranch(pc: pc, a: a, b: b, condition: condition, branch: fused)
                    pc = fused.pc
                    break instructions
                }
                let exitAddress = exit(pc: pc, depth: context.depth)
                emitFixnumCompare(a: a, b: b, exitTo: exitAddress, materialize: {
                    $0.inline.xor(.rax, .rax, size: .dword)
                    $0.inline.mov(.rcx, Int32(Value.true.raw), size: .dword)
                })
                inline.cmov(condition, .rax, .rcx)
                inline.mov(slot(a), .rax)
                pop(2)
                push(fixnum: false)
                resultInRAX = top
            case .optNot:
                inline.mov(.rdx, slot(top))
                inline.xor(.rax, .rax, size: .dword)
                inline.mov(.rcx, Int32(Value.true.raw), size: .dword)
                inline.test(.rdx, Int32(bitPattern: ~UInt32(0x08)))
                inline.cmov(.zero, .rax, .rcx)
                inline.mov(slot(top), .rax)
                context.setSlot(top, fixnum: false)
                slotSource[top] = -1
            case .send where iseq.callSites[code[pc + 1]].blockISeq == nil:
                emitSend(pc: pc, next: next, callSite: iseq.callSites + code[pc + 1], cached: true)
            case .send, .optDiv, .optMod, .optAref, .optAset, .optLtLt, .optSize:
                emitSend(pc: pc, next: next, callSite: iseq.callSites + code[pc + 1])
            case .jump:
                let target = code[pc + 1]
                if target <= pc { emitInterruptCheck(pc: pc) }
                let jump = inline.patchableJmp(absolute: jit.shared.exitInterpret)
                branches.append((PendingBranch(jumps: [jump], keys: [versionKey(target)]), chunks.count - 1))
                break instructions
            case .branchIf, .branchUnless:
                let target = code[pc + 1]
                // The blocks branched to expect the stack written (and a poll saves the operand too).
                materializeAll(below: target <= pc ? context.depth : top)
                load(top, into: .rax)
                pop(1)
                if target <= pc { emitInterruptCheck(pc: pc, conditionInRAX: true) }
                inline.test(.rax, Int32(bitPattern: ~UInt32(0x08)))
                let taken = inline.patchableJcc(op == .branchIf ? .notZero : .zero, absolute: jit.shared.exitInterpret)
                let notTaken = inline.patchableJmp(absolute: jit.shared.exitInterpret)
                branches.append((PendingBranch(jumps: [taken, notTaken], keys: [versionKey(target), versionKey(next)]),
                                 chunks.count - 1))
                break instructions
            case .leave:
                emitLeave(pc: pc)
                break instructions
            case _ where GuestJIT.simpleEffect(op, operand: op.operandCount > 0 ? code[pc + 1] : 0) != nil:
                let effect = GuestJIT.simpleEffect(op, operand: op.operandCount > 0 ? code[pc + 1] : 0)!
                unshareable = true
                inline.mov(.rdi, .r12)
                inline.mov(.rsi, .r13)
                inline.movabs(.rdx, UInt64(UInt(bitPattern: code + pc)))
                inline.lea(.rcx, slot(context.depth))
                inline.movabs(.rax, UInt64(JITHelpers.simpleAddress))
                inline.call(.rax)
                inline.test(.rax, .rax)
                inline.jcc(.notZero, absolute: jit.shared.dispatchSpecial)
                pop(effect.pops)
                for _ in 0..<effect.pushes { push(fixnum: false) }
            default:
                inline.jmp(absolute: exit(pc: pc, depth: context.depth))
                break instructions
            }
            pc = next
        }
        lastPC = pc
        if forSharing && (unshareable || !branches.isEmpty || !returnPoints.isEmpty || chunks.count != 1) {
            throw notShareable()
        }
        if wholeBlock { try checkWholeBlockFits() }
        try flushChunk(chunks.count - 1)
        return (ranges, outlinedRanges)
    }

    /// Whether the instruction at `pc` is a forward `jump` to a `leave`.
    static func jumpsToLeave(_ code: UnsafeMutablePointer<Int>, pc: Int, count: Int) -> Bool {
        let target = code[pc + 1]
        return target > pc && target < count && code[target] == Opcode.leave.rawValue
    }

    /// Instructions compiled to fixnum fast paths, valid only while `VM.basicOperationsMask` is 1.
    static func assumesBasicOperations(_ op: Opcode) -> Bool {
        switch op {
        case .optPlus, .optMinus, .optMult, .optLt, .optLe, .optGt, .optGe, .optEq, .optNeq: return true
        default: return false
        }
    }

    /// Instructions that take operands where they are (`LazySlot`); before any other, every pending slot
    /// is written.
    static func readsLazySlots(_ op: Opcode) -> Bool {
        switch op {
        case .nop, .putNil, .putTrue, .putFalse, .putSelf, .putObject, .pop, .dup, .getLocal0, .setLocal0,
             .optPlus, .optMinus, .optMult, .optLt, .optLe, .optGt, .optGe, .optEq, .optNeq,
             .branchIf, .branchUnless, .leave:
            return true
        default:
            return false
        }
    }

    /// The conditional branch right after a comparison at `next`, which then needs no boolean: the
    /// comparison's flags choose the branch directly.
    func fusedBranch(after next: Int) -> (op: Opcode, pc: Int, target: Int, fallthrough: Int)? {
        guard next < iseq.codeCount, let op = Opcode(rawValue: iseq.code[next]),
              op == .branchIf || op == .branchUnless else { return nil }
        return (op, next, iseq.code[next + 1], next + 1 + op.operandCount)
    }

    /// A fixnum comparison and the conditional branch after it, as `cmp` + patchable `jcc`/`jmp`, with the
    /// same versions, exits and interrupt check as the two instructions compiled one by one. A backward
    /// branch checks for interrupts first and exits at the comparison, whose operands are still on the
    /// stack (the boolean the branch would pop never exists).
    mutating func emitComparisonBranch(
        pc: Int, a: Int, b: Int, condition: Condition, branch: (op: Opcode, pc: Int, target: Int, fallthrough: Int)
    ) {
        if branch.target <= branch.pc {
            // The poll saves the whole stack (an object collection may scan it).
            materializeAll()
            emitInterruptCheck(pc: pc)
        } else {
            // The block ends here: the blocks it branches to expect the stack under the operands written.
            materializeAll(below: a)
        }
        let exitAddress = exit(pc: pc, depth: context.depth)
        emitFixnumCompare(a: a, b: b, exitTo: exitAddress)
        // The stack as the two instructions would leave it: operands popped, boolean pushed and popped.
        pop(2)
        push(fixnum: false)
        pop(1)
        let taken = inline.patchableJcc(branch.op == .branchIf ? condition : condition.inverted,
                                        absolute: jit.shared.exitInterpret)
        let notTaken = inline.patchableJmp(absolute: jit.shared.exitInterpret)
        branches.append((PendingBranch(jumps: [taken, notTaken],
                                       keys: [versionKey(branch.target), versionKey(branch.fallthrough)]),
                         chunks.count - 1))
    }

    /// Guards fixnum operands `a` and `b` (exits to `exitTo`) and compares them as tagged words: flags of
    /// `cmp a, b`. `beforeCompare` emits flag-clobbering setup that must come after the loads.
    mutating func emitFixnumCompare(a: Int, b: Int, exitTo exitAddress: UInt,
                                    materialize beforeCompare: (inout BlockCompiler) -> Void = { _ in }) {
        load(a, into: .rdx)
        guardFixnum(a, in: .rdx, exitTo: exitAddress)
        guardFixnum(b, exitTo: exitAddress)
        let right = source(b)
        beforeCompare(&self)
        switch right {
        case .memory(let m): inline.cmp(.rdx, m)
        case .immediate(let raw): inline.cmp(.rdx, raw)
        }
    }

    mutating func push(fixnum: Bool) {
        context.push(fixnum: fixnum)
        slotSource[top] = -1
        if lazy[top] != .memory {
            lazy[top] = .memory
            lazyEpoch += 1
        }
    }

    mutating func pop(_ n: Int) {
        context.pop(n)
    }

    /// The key of the version a branch to `pc` wants: this context, or the generic one past the limit.
    func versionKey(_ pc: Int) -> UInt64 {
        context.key(pc: pc)
    }

    /// `conditionInRAX`: a conditional branch whose popped operand the code after the check tests in rax.
    mutating func emitInterruptCheck(pc: Int, conditionInRAX: Bool = false) {
        // A conditional branch's operand is already popped from the context but still in its slot: a
        // poll saves (and an exit resumes the interpreter at) the branch itself with it on the stack.
        let conditional = isConditional(pc)
        emitInterruptPoll(pc: pc, depth: context.depth + (conditional ? 1 : 0),
                          reloadRAX: conditionInRAX ? context.depth : nil)
    }

    func isConditional(_ pc: Int) -> Bool {
        let op = Opcode(rawValue: iseq.code[pc])
        return op == .branchIf || op == .branchUnless
    }

    /// A send site: the stack top and the site's `CallCache` record in registers, then `call` into the
    /// shared send routine, whose return address is this site's return point. The routine either pushes
    /// the callee frame (cached call) and jumps to the callee, which returns to the return point through
    /// its frame's `jitReturn`, or calls the send helper and returns there itself. Either way the code
    /// continues through the return point's patchable jump (an exit once the block is invalidated).
    /// `cached`: the site may take the cached call (plain sends without a block literal).
    mutating func emitSend(pc: Int, next: Int, callSite: UnsafeMutablePointer<CallSite>, cached: Bool = false) {
        unshareable = true
        // Shared code has no call cache (the compilation stops at the next instruction).
        if forSharing { return }
        let argc = callSite.pointee.argc
        let record = jit.callCache(for: callSite, owner: owner)
        CallCache.describeSite(record, callSite: callSite, nextPC: iseq.code + next)
        let returnLabel = inline.newLabel()
        if cached {
            // The callee's arguments (its ep) and its receiver, from wherever the receiver is: the cached
            // call writes the callee's special slot over it, a miss writes the receiver there first.
            let receiver = context.depth - 1 - argc
            inline.lea(.rax, slot(receiver + 1))
            Self.load(&inline, source(receiver), into: .r8)
        } else {
            inline.lea(.rdi, slot(context.depth))
        }
        inline.movabs(.rsi, UInt64(UInt(bitPattern: record)))
        inline.call(absolute: cached ? jit.shared.send : jit.shared.sendUncached, scratch: .rax)
        inline.bind(returnLabel)
        let continueLabel = inline.newLabel()
        let jump = inline.patchableJmp(continueLabel)
        inline.bind(continueLabel)
        pop(argc + 1)
        push(fixnum: false)
        // A block the callee ran may have assigned this frame's locals.
        if !localsPrivate { context.fixnumLocals = 0 }
        returnPoints.append(PendingReturnPoint(
            label: returnLabel, jump: jump, chunkIndex: chunks.count - 1,
            info: GuestJIT.ReturnExitInfo(pc: iseq.code + next, spDisplacement: Int32((localCount + context.depth) * 8))))
    }

    /// Returns to the caller's JIT code at this frame's `jitReturn`; a frame without one (pushed by the
    /// interpreter, or cleared by `JIT.discard_all`) leaves through the interpreter's `leave`. Finish frames
    /// need no test of their own: only JIT code (the send helper or the cached call) sets `jitReturn`,
    /// always on a method frame it pushed for a send, which is never a finish frame.
    ///
    /// On the paired path (the frame runs on the native-stack level its cached call made: the word at rsp
    /// is this frame's address and the one above it its `jitReturn`, see `SharedCode.emitCachedSend`) the
    /// return is a `ret`, which the CPU predicts. Otherwise (outlined) the level, if it is this frame's,
    /// is dropped and the return goes through `jitReturn` by an indirect jump, counted.
    mutating func emitLeave(pc: Int) {
        // Dead on both return paths, but the exit writes whatever is pending: keep that within budget.
        materializeAll(below: top)
        let exitAddress = exit(pc: pc, depth: context.depth)
        // nil: rax holds the result already.
        let result = cachedRAX == top ? nil : source(top)
        let ownLevelMismatch = outlined.currentAddress
        outlined.add(.rsp, 16)
        let indirect = outlined.currentAddress
        outlined.test(.rcx, .rcx)
        outlined.jcc(.zero, absolute: exitAddress)
        outlined.add(Memory(base: .r12, displacement: RuntimeBlock.indirectReturns), 1)
        Self.emitPopFrame(&outlined, result: result)
        outlined.jmp(.rcx)

        inline.mov(.rcx, Memory(base: .r13, displacement: Int32(ControlFrame.Offsets.jitReturn)))
        inline.cmp(Memory(base: .rsp), .r13)
        inline.jcc(.notEqual, absolute: indirect)
        inline.cmp(Memory(base: .rsp, displacement: 8), .rcx)
        inline.jcc(.notEqual, absolute: ownLevelMismatch)
        Self.emitPopFrame(&inline, result: result)
        inline.add(.rsp, 8)
        inline.ret()
    }

    /// The result into the receiver's slot, and the caller's frame and environment into r13 and r14.
    static func emitPopFrame(_ asm: inout Assembler, result: OperandSource?) {
        if let result { load(&asm, result, into: .rax) }
        asm.mov(Memory(base: .r14, displacement: -8), .rax)
        asm.sub(.r13, Int32(ControlFrame.Offsets.size))
        asm.mov(.r14, Memory(base: .r13, displacement: Int32(ControlFrame.Offsets.ep)))
    }
}

extension GuestJIT {
    /// Emits a side exit: writes pc and sp back into the frame, publishes it, counts, and leaves.
    static func emitExit(_ asm: inout Assembler, pc: UnsafeMutablePointer<Int>, spDisplacement: Int32, epilogue: UInt) {
        asm.movabs(.rax, UInt64(UInt(bitPattern: pc)))
        asm.mov(Memory(base: .r13, displacement: Int32(ControlFrame.Offsets.pc)), .rax)
        asm.lea(.rax, Memory(base: .r14, displacement: spDisplacement))
        asm.mov(Memory(base: .r13, displacement: Int32(ControlFrame.Offsets.sp)), .rax)
        asm.mov(Memory(base: .r12, displacement: RuntimeBlock.cfp), .r13)
        asm.add(Memory(base: .r12, displacement: RuntimeBlock.sideExits), 1)
        asm.xor(.rax, .rax, size: .dword)
        asm.jmp(absolute: epilogue)
    }
}
