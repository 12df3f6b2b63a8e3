/// Interned names: symbols and method/variable names share one id space.
public final class SymbolTable {
    private var ids: [String: Int] = [:]
    private var names: [String] = []

    public init() {}

    public func id(_ name: String) -> Int {
        if let i = ids[name] { return i }
        let i = names.count
        names.append(name)
        ids[name] = i
        return i
    }

    public func name(_ id: Int) -> String { names[id] }
}
