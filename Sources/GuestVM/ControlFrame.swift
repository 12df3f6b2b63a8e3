/// One VM control frame: plain data in the ExecutionContext's raw frame buffer, so JIT code reads and
/// writes its fields at fixed offsets (`ControlFrame.offsets`).
///
/// The frame's environment lives on the value stack: `ep[0 ..< localCount]` are its locals (parameters
/// first) and `ep[-1]` is the special slot (the receiver's slot when the call was made):
/// - for block frames: the parent environment pointer tagged `| 0b010` (`SpecialSlot.env`);
/// - for every other frame: the block handler, a pointer to the `ControlFrame` that passed the block,
///   tagged `| 0b110` (the block is that frame's `self`, `ep` and `blockISeq`), or 0 for no block.
/// The operand stack of an ISEQ frame starts at `ep + localCount`.
public struct ControlFrame {
    /// ISEQ frames: next instruction (saved when the frame is suspended by a call).
    public var pc: UnsafeMutablePointer<Int>?
    /// Operand stack top (saved when the frame is suspended).
    public var sp: UnsafeMutablePointer<Value>
    /// Environment (locals) pointer.
    public var ep: UnsafeMutablePointer<Value>
    public var selfValue: Value
    /// `Unmanaged<ISeq>` of the running code; nil for cfunc frames.
    public var iseq: UnsafeMutableRawPointer?
    /// The block literal of the send in progress from this frame (what a block handler captures).
    public var blockISeq: UnsafeMutableRawPointer?
    /// `Unmanaged<MethodEntry>` of method and cfunc frames (nil otherwise).
    public var methodEntry: UnsafeMutableRawPointer?
    /// `Unmanaged<Cref>`: the lexical class scope for constants and `def`.
    public var cref: UnsafeMutableRawPointer?
    /// `FrameType` in the low byte, `FrameFlags` above.
    public var flags: UInt64
    /// Machine code (in the caller's JIT code) to continue at when *this* frame returns; nil when the
    /// frame returns to the interpreter. Set by the JIT when JIT code pushes the frame; when the
    /// interpreter executes this frame's `leave`, it hands the return to `JITCompiler.resume`.
    public var jitReturn: UnsafeRawPointer?

    /// Field byte offsets, for JIT code.
    public enum Offsets {
        public static let pc = MemoryLayout<ControlFrame>.offset(of: \ControlFrame.pc)!
        public static let sp = MemoryLayout<ControlFrame>.offset(of: \ControlFrame.sp)!
        public static let ep = MemoryLayout<ControlFrame>.offset(of: \ControlFrame.ep)!
        public static let selfValue = MemoryLayout<ControlFrame>.offset(of: \ControlFrame.selfValue)!
        public static let iseq = MemoryLayout<ControlFrame>.offset(of: \ControlFrame.iseq)!
        public static let blockISeq = MemoryLayout<ControlFrame>.offset(of: \ControlFrame.blockISeq)!
        public static let methodEntry = MemoryLayout<ControlFrame>.offset(of: \ControlFrame.methodEntry)!
        public static let cref = MemoryLayout<ControlFrame>.offset(of: \ControlFrame.cref)!
        public static let flags = MemoryLayout<ControlFrame>.offset(of: \ControlFrame.flags)!
        public static let jitReturn = MemoryLayout<ControlFrame>.offset(of: \ControlFrame.jitReturn)!
        public static let size = MemoryLayout<ControlFrame>.stride
    }

    @inline(__always) public var type: FrameType { FrameType(rawValue: UInt8(truncatingIfNeeded: flags)) ?? .method }
    @inline(__always) public var isFinish: Bool { flags & FrameFlags.finish != 0 }
}

/// What kind of code a frame runs.
public enum FrameType: UInt8, Sendable {
    case top = 1, method, block, classBody, eval, cfunc
}

/// Flag bits of `ControlFrame.flags` above the type byte.
public enum FrameFlags {
    /// The frame was pushed by a native caller (cfunc callback, eval, program start): when it leaves,
    /// the interpreter loop returns to that native caller instead of continuing with the frame below.
    public static let finish: UInt64 = 1 << 8
}

/// Tags of the environment's special slot (`ep[-1]`).
public enum SpecialSlot {
    public static let envTag: UInt64 = 0b010
    public static let blockTag: UInt64 = 0b110
    public static let tagMask: UInt64 = 0b111

    @inline(__always) static func env(_ ep: UnsafeMutablePointer<Value>) -> Value {
        Value(raw: UInt64(UInt(bitPattern: ep)) | envTag)
    }
    @inline(__always) static func block(_ cfp: UnsafeMutablePointer<ControlFrame>) -> Value {
        Value(raw: UInt64(UInt(bitPattern: cfp)) | blockTag)
    }
    @inline(__always) static func parentEnv(_ v: Value) -> UnsafeMutablePointer<Value>? {
        guard v.raw & tagMask == envTag else { return nil }
        return UnsafeMutablePointer(bitPattern: UInt(v.raw & ~tagMask))
    }
    @inline(__always) static func blockFrame(_ v: Value) -> UnsafeMutablePointer<ControlFrame>? {
        guard v.raw & tagMask == blockTag else { return nil }
        return UnsafeMutablePointer(bitPattern: UInt(v.raw & ~tagMask))
    }
}

/// A lexical class scope (`class A; class B; ... end; end` gives B -> A -> top). Interned by the VM and
/// immortal, so frames refer to them with plain pointers.
public final class Cref {
    public unowned(unsafe) let klass: RClass
    public let parent: Cref?
    init(klass: RClass, parent: Cref?) {
        self.klass = klass
        self.parent = parent
    }
    var pointer: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }
}
