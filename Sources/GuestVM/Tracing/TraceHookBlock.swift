/// The block given to `TracePoint.new`, kept for as long as the TracePoint lives.
///
/// The VM has no Procs: a block's environment lives on its creator's value stack. A hook runs while
/// its creator usually still runs (top level, or the method that enables and disables it), so the hook
/// shares the creator's locals as Ruby does. Once the creating frame has returned, the hook reads a
/// copy of the environment chain taken when the TracePoint was made (locals shared *by value* then,
/// like a fiber's; objects they refer to are shared as usual). The creator counts as alive while a
/// frame at its address still runs its ISEQ with its environment (a later call of the same method at
/// the same depth would be taken for it: the hook then sees that call's locals).
final class TraceHookBlock {
    /// What `pushBlockFrame` reads: self, block ISEQ, cref, and the environment of the current call.
    let descriptor: UnsafeMutablePointer<ControlFrame>
    /// The root ISEQ owning the block's code (the method or program may be gone by the time it runs).
    let codeOwner: ISeq
    private weak var creatorContext: ExecutionContext?
    private let creatorFrame: UnsafeMutablePointer<ControlFrame>
    private let creatorEP: UnsafeMutablePointer<Value>
    private let creatorISeq: UnsafeMutableRawPointer?
    /// The copied chain, outermost level first, each `[special slot][locals]`.
    private let copy: UnsafeMutablePointer<Value>
    private let copyCount: Int
    private let copiedEP: UnsafeMutablePointer<Value>

    /// Captures the block passed by frame `bf` (running on `ec`).
    init(blockFrame bf: UnsafeMutablePointer<ControlFrame>, ec: ExecutionContext) {
        let levels = BlockEnvironmentCopy.environmentLevels(of: bf)
        copyCount = levels.reduce(1) { $0 + 1 + $1.1 }
        copy = .allocate(capacity: copyCount)
        copy.initialize(repeating: .nil, count: copyCount)
        // The outermost level has no block handler (a `yield` in the hook finds none).
        var parent = BlockEnvironmentCopy.writeChain(levels, at: copy).innermost
        if parent == nil {
            copy.pointee = Value(raw: 0)
            parent = copy + 1
        }
        copiedEP = parent!
        creatorContext = ec
        creatorFrame = bf
        creatorEP = bf.pointee.ep
        creatorISeq = bf.pointee.iseq
        let blockISeq = Unmanaged<ISeq>.fromOpaque(bf.pointee.blockISeq!).takeUnretainedValue()
        codeOwner = blockISeq.root ?? blockISeq
        descriptor = .allocate(capacity: 1)
        descriptor.initialize(to: ControlFrame(pc: nil, sp: copiedEP, ep: copiedEP, selfValue: bf.pointee.selfValue, iseq: nil,
                                               blockISeq: bf.pointee.blockISeq, methodEntry: nil, cref: bf.pointee.cref,
                                               flags: UInt64(FrameType.block.rawValue), jitReturn: nil))
    }

    deinit {
        descriptor.deallocate()
        copy.deallocate()
    }

    /// Whether the frame that passed the block still runs (then its live environment is the hook's).
    private var creatorIsRunning: Bool {
        guard let ec = creatorContext else { return false }
        return creatorFrame >= ec.frameBase && creatorFrame <= ec.cfp
            && creatorFrame.pointee.ep == creatorEP && creatorFrame.pointee.iseq == creatorISeq
    }

    /// The block descriptor for one call of the hook: the creator's environment while it runs, else the copy.
    func frameForCall() -> UnsafeMutablePointer<ControlFrame> {
        descriptor.pointee.ep = creatorIsRunning ? creatorEP : copiedEP
        return descriptor
    }

    /// Values only this object keeps (for the object collector).
    func forEachReference(_ body: (Value) -> Void) {
        body(descriptor.pointee.selfValue)
        for i in 0..<copyCount { body(copy[i]) }
    }
}
