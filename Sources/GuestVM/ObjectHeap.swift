/// Owner of every guest heap object.
///
/// Lifetime rule (for now): an object allocated here lives until the VM is destroyed. Every object is
/// reachable from `objects`, so a mark-sweep collector can be added without changing any other code:
/// roots would be every ExecutionContext's value stack (base ... top frame's sp) and frames' self,
/// the VM's globals, constants (class constant tables) and ISEQ literals; `HeapObject.forEachReference`
/// gives the edges.
public final class ObjectHeap {
    public private(set) var objects: [HeapObject] = []

    public init() {}

    /// Takes ownership of `obj` and returns its Value.
    @inline(__always)
    public func track<T: HeapObject>(_ obj: T) -> Value {
        objects.append(obj)
        return .object(obj)
    }

    public var count: Int { objects.count }
}
