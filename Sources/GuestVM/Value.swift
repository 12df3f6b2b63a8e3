/// A guest value: one 64-bit tagged word, so JIT code can keep values in registers.
///
/// Encoding (low bits decide):
/// - `xxxx...xxx1`: a fixnum, the integer `raw >> 1` (arithmetic shift). The 63-bit range
///   `-2^62 ... 2^62-1` is immediate; Integers outside it but inside Int64 are boxed (`RBoxedInteger`).
/// - `0x00` false, `0x08` nil, `0x14` true, `0x34` undef (internal "no value" marker, never visible to
///   guest code). Truthiness is `raw & ~0x08 != 0` (false and nil are the only falsy values).
/// - `(id << 8) | 0x0c`: the symbol with id `id` (see `SymbolTable`).
/// - low 3 bits `000` and `raw > 0xff`: a pointer to a `HeapObject` (Swift class instance, 16-aligned).
///   Heap objects are owned by the VM's `ObjectHeap`, never by a `Value`: copying a Value costs nothing.
/// - low bits `010` / `110` never appear as values: the VM stores tagged env / block-handler pointers in
///   the environment's special slot with them (see `ControlFrame`), so a future precise GC can skip them.
public struct Value: Equatable, Hashable, Sendable {
    public var raw: UInt64

    @inline(__always) public init(raw: UInt64) { self.raw = raw }

    public static let `false` = Value(raw: 0x00)
    public static let `nil` = Value(raw: 0x08)
    public static let `true` = Value(raw: 0x14)
    /// Internal marker: "no value" (a cfunc returns it when it left an exception pending).
    public static let undef = Value(raw: 0x34)

    public static let fixnumMax: Int64 = (1 << 62) - 1
    public static let fixnumMin: Int64 = -(1 << 62)

    @inline(__always) public var isTruthy: Bool { raw & ~UInt64(0x08) != 0 }
    @inline(__always) public var isNil: Bool { raw == 0x08 }
    @inline(__always) public var isFixnum: Bool { raw & 1 == 1 }
    @inline(__always) public var isHeapObject: Bool { raw & 7 == 0 && raw > 0xff }
    @inline(__always) public var isSymbol: Bool { raw & 0xff == 0x0c }

    @inline(__always) public static func bool(_ b: Bool) -> Value { b ? .true : .false }

    /// A fixnum; the caller guarantees `fixnumMin <= n <= fixnumMax`.
    @inline(__always) public static func fixnum(_ n: Int64) -> Value {
        Value(raw: UInt64(bitPattern: (n << 1) | 1))
    }

    /// The fixnum's integer (only meaningful when `isFixnum`).
    @inline(__always) public var fixnumValue: Int64 { Int64(bitPattern: raw) >> 1 }

    @inline(__always) public static func symbol(_ id: Int) -> Value {
        Value(raw: (UInt64(id) << 8) | 0x0c)
    }

    @inline(__always) public var symbolID: Int { Int(raw >> 8) }

    @inline(__always) public static func object(_ obj: HeapObject) -> Value {
        Value(raw: UInt64(UInt(bitPattern: Unmanaged.passUnretained(obj).toOpaque())))
    }

    /// The heap object this value points to (only when `isHeapObject`); no retain is taken.
    @inline(__always) public var object: HeapObject {
        Unmanaged<HeapObject>.fromOpaque(UnsafeRawPointer(bitPattern: UInt(raw))!).takeUnretainedValue()
    }

    /// The heap object as a specific class, or nil.
    @inline(__always) public func object<T: HeapObject>(as type: T.Type) -> T? {
        guard isHeapObject else { return nil }
        return object as? T
    }
}
