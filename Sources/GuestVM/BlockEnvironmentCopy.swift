/// A block detached from the frame that created it, for code that outlives that frame (a Fiber's or a
/// Thread's body). The VM has no Procs: a block's environment normally lives on its creator's value stack,
/// so the whole captured environment chain (every enclosing level's locals) is copied to the bottom of
/// the new context's value stack and the block reads it there. Captured locals are therefore shared *by
/// value*: assignments to an outer local inside the body are not seen by the creator and vice versa
/// (objects they refer to are shared as usual).
struct BlockEnvironmentCopy {
    /// The block descriptor `pushBlockFrame` reads (self, env, block ISEQ, cref of the creating frame).
    let blockFrame: UnsafeMutablePointer<ControlFrame>
    /// Where the copied environments end on the context's value stack (the first frame starts here).
    let envEnd: UnsafeMutablePointer<Value>
    /// The root ISEQ owning the block's code (the body may outlive the program or eval that created it).
    let codeOwner: ISeq
}

extension BlockEnvironmentCopy {
    /// The environment levels the block of frame `bf` captures, innermost first: (ep, local count).
    static func environmentLevels(of bf: UnsafeMutablePointer<ControlFrame>) -> [(UnsafeMutablePointer<Value>, Int)] {
        var levels: [(UnsafeMutablePointer<Value>, Int)] = []
        var ep: UnsafeMutablePointer<Value>? = bf.pointee.ep
        var iseq: ISeq? = bf.pointee.iseq.map { Unmanaged<ISeq>.fromOpaque($0).takeUnretainedValue() }
        while let e = ep, let s = iseq {
            levels.append((e, s.localCount))
            ep = SpecialSlot.parentEnv(e[-1])
            iseq = s.parentISeq
        }
        return levels
    }

    /// Writes `levels` at `start`, outermost first, each `[special slot][locals]` with the special slot
    /// linking to the level outside it (the outermost has no block handler). Returns the innermost
    /// copied environment (nil when there are no levels) and the slot after the copy.
    static func writeChain(_ levels: [(UnsafeMutablePointer<Value>, Int)], at start: UnsafeMutablePointer<Value>)
        -> (innermost: UnsafeMutablePointer<Value>?, end: UnsafeMutablePointer<Value>) {
        var slot = start
        var parent: UnsafeMutablePointer<Value>?
        for (e, count) in levels.reversed() {
            slot.pointee = parent.map { SpecialSlot.env($0) } ?? Value(raw: 0)
            let copy = slot + 1
            for i in 0..<count { copy[i] = e[i] }
            parent = copy
            slot = copy + count
        }
        return (parent, slot)
    }
}

extension VM {
    /// Copies the block captured by `bf` onto the bottom of `target`'s value stack.
    func copyBlock(_ bf: UnsafeMutablePointer<ControlFrame>, into target: ExecutionContext) -> BlockEnvironmentCopy {
        let copied = BlockEnvironmentCopy.writeChain(BlockEnvironmentCopy.environmentLevels(of: bf), at: target.stackBase)
        let parent = copied.innermost
        var slot = copied.end
        let desc = UnsafeMutablePointer<ControlFrame>.allocate(capacity: 1)
        desc.initialize(to: ControlFrame(pc: nil, sp: slot, ep: parent ?? slot, selfValue: bf.pointee.selfValue, iseq: nil,
                                         blockISeq: bf.pointee.blockISeq, methodEntry: nil, cref: bf.pointee.cref,
                                         flags: UInt64(FrameType.block.rawValue), jitReturn: nil))
        if parent == nil { slot.pointee = Value(raw: 0); slot += 1; desc.pointee.ep = slot }
        let blockISeq = Unmanaged<ISeq>.fromOpaque(bf.pointee.blockISeq!).takeUnretainedValue()
        return BlockEnvironmentCopy(blockFrame: desc, envEnd: slot, codeOwner: blockISeq.root ?? blockISeq)
    }
}
