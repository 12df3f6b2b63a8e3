/// A guest class or module. Classes are immortal: the VM's object heap owns them while the VM lives.
public final class RClass: HeapObject {
    /// What `Class#new` allocates for this class and its subclasses.
    public enum InstanceKind: Sendable { case object, string, array, exception, none }

    public var name: String
    public var superclass: RClass?
    public let isModule: Bool
    /// True for metaclasses (the hidden class holding `def self.x` methods).
    public let isMetaclass: Bool
    public var instanceKind: InstanceKind
    /// Methods by symbol id. Entries are owned here; removal hands them to the VM's zombie list.
    public var methods: [Int: MethodEntry] = [:]
    public var constants: [Int: Value] = [:]
    /// The metaclass (for classes), set up by the VM when the class is created. Not owned (the heap owns it,
    /// like `klassPointer`, which points at it too): a strong reference closes a cycle through the
    /// bootstrap classes (Class -> #<Class:Class> -> superclass ... #<Class:BasicObject> -> Class) that
    /// kept every VM's classes, methods and ISEQs alive after the VM died.
    public unowned(unsafe) var metaclass: RClass?
    /// For metaclasses: the class they belong to.
    public unowned(unsafe) var attached: RClass?

    public init(klass: RClass?, name: String, superclass: RClass?, isModule: Bool, isMetaclass: Bool,
                instanceKind: InstanceKind) {
        self.name = name
        self.superclass = superclass
        self.isModule = isModule
        self.isMetaclass = isMetaclass
        self.instanceKind = instanceKind
        if let klass {
            super.init(klass: klass)
        } else {
            // The bootstrap classes get their klass fixed up right after creation.
            super.init(unclassed: ())
        }
    }

    public override func forEachReference(_ body: (Value) -> Void) {
        super.forEachReference(body)
        for v in constants.values { body(v) }
    }

    /// True if `self` is `other` or inherits from it.
    public func isSubclass(of other: RClass) -> Bool {
        var c: RClass? = self
        while let k = c {
            if k === other { return true }
            c = k.superclass
        }
        return false
    }

    /// The class as guest code sees it (skipping metaclasses).
    public var nonMetaclass: RClass {
        var c = self
        while c.isMetaclass, let s = c.superclass { c = s }
        return c
    }
}
