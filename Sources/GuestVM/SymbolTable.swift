/// Interned names: symbols and method/variable names share one id space.
public final class SymbolTable {
    private var ids: [String: Int] = [:]
    private var names: [String] = []

    /// Guards both tables once the VM is multi-threaded.
    private let lock = LeafLock()
    var isShared: Bool {
        get { lock.isShared }
        set { lock.isShared = newValue }
    }

    public init() {}

    public func id(_ name: String) -> Int {
        lock.withLock {
            if let i = ids[name] { return i }
            let i = names.count
            names.append(name)
            ids[name] = i
            return i
        }
    }

    public func name(_ id: Int) -> String { lock.withLock { names[id] } }
}
