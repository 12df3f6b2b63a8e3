/// Base of every guest heap object. A `Value` points to one without owning it: the `ObjectHeap`
/// owns every object (see there for the lifetime rule).
open class HeapObject {
    /// `Unmanaged<RClass>` of the object's class (for classes: their metaclass). Classes are immortal,
    /// so a raw pointer (no reference counting). It is the first stored property, so it lives at byte
    /// offset `HeapObject.klassOffset` (16, after Swift's isa and refcount words) of every object: the
    /// interpreter's inline-cache check and JIT code load it from there.
    public var klassPointer: UnsafeMutableRawPointer?

    /// Byte offset of `klassPointer` inside every heap object.
    public static let klassOffset = 16

    /// The object's class.
    public var klass: RClass {
        @inline(__always) get { Unmanaged<RClass>.fromOpaque(klassPointer.unsafelyUnwrapped).takeUnretainedValue() }
        set { klassPointer = Unmanaged.passUnretained(newValue).toOpaque() }
    }
    /// Instance variables as (symbol id, value) pairs: objects have few, a linear scan beats hashing.
    public var ivars: [(Int, Value)] = []
    /// Mark bit of the collector.
    var marked = false

    public init(klass: RClass) { klassPointer = Unmanaged.passUnretained(klass).toOpaque() }

    /// For bootstrap classes, whose class does not exist yet (fixed up right after).
    init(unclassed: Void) { klassPointer = nil }

    public func ivar(_ id: Int) -> Value {
        for (k, v) in ivars where k == id { return v }
        return .nil
    }

    public func setIvar(_ id: Int, _ value: Value) {
        for i in ivars.indices where ivars[i].0 == id {
            ivars[i].1 = value
            return
        }
        ivars.append((id, value))
    }

    /// Values this object references (for a future mark phase).
    open func forEachReference(_ body: (Value) -> Void) {
        for (_, v) in ivars { body(v) }
    }
}

/// A plain instance of a user class (`Foo.new`).
public final class RObject: HeapObject {}

/// An Integer outside the fixnum range but inside Int64.
public final class RBoxedInteger: HeapObject {
    public let value: Int64
    public init(klass: RClass, value: Int64) {
        self.value = value
        super.init(klass: klass)
    }
}

/// A mutable guest String (UTF-8 text).
public final class RString: HeapObject {
    public var value: String
    public init(klass: RClass, value: String) {
        self.value = value
        super.init(klass: klass)
    }
}

/// A guest Array.
public final class RArray: HeapObject {
    public var elements: [Value]
    public init(klass: RClass, elements: [Value]) {
        self.elements = elements
        super.init(klass: klass)
    }
    public override func forEachReference(_ body: (Value) -> Void) {
        super.forEachReference(body)
        for v in elements { body(v) }
    }
}

/// An exception object: message plus the guest backtrace captured when it was raised.
public final class RException: HeapObject {
    public var message: Value = .nil
    public var backtrace: [String]?
    public override func forEachReference(_ body: (Value) -> Void) {
        super.forEachReference(body)
        body(message)
    }
}

/// A non-local control transfer travelling up the frames like an exception: `break` out of a block
/// (to the frame that owns `targetEP`) or `return` from a block (from the method owning `targetEP`).
public final class RThrow: HeapObject {
    public enum Kind: Sendable { case breakBlock, returnFromBlock }
    public let kind: Kind
    public let value: Value
    public let targetEP: UnsafeMutablePointer<Value>
    public init(klass: RClass, kind: Kind, value: Value, targetEP: UnsafeMutablePointer<Value>) {
        self.kind = kind
        self.value = value
        self.targetEP = targetEP
        super.init(klass: klass)
    }
    public override func forEachReference(_ body: (Value) -> Void) {
        body(value)
    }
}
