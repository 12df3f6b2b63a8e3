/// Interned names: symbols and method/variable names share one id space.
public final class SymbolTable {
    /// Room for the names a VM interns while it boots (193: common ids, builtins, the prelude) and a short
    /// program's, so booting rehashes no table.
    static let bootCapacity = 256

    private var ids = [String: Int](minimumCapacity: SymbolTable.bootCapacity)
    private var names: [String] = []

    /// Guards both tables once the VM is multi-threaded.
    private let lock = LeafLock()
    var isShared: Bool {
        get { lock.isShared }
        set { lock.isShared = newValue }
    }

    public init() { names.reserveCapacity(Self.bootCapacity) }

    /// The id of `name`, a new one (the next dense id) the first time. Hashes `name` once: the defaulted
    /// subscript finds the entry or inserts the next id in the same probe.
    public func id(_ name: String) -> Int {
        lock.withLock {
            let next = names.count
            let id = Self.value(of: &ids[name, default: next])
            if id == next { names.append(name) }
            return id
        }
    }

    public func name(_ id: Int) -> String { lock.withLock { names[id] } }

    /// Number of names interned so far (ids are 0..<count).
    public var count: Int { lock.withLock { names.count } }

    /// Reads an `inout` access (taking one makes the defaulted subscript insert its default).
    private static func value(of entry: inout Int) -> Int { entry }
}
