/// A list whose first element lives inside the list; more spill into an array. Per-owner lists of the JIT
/// (versions, version counts) hold one element for a tiny method: keeping it inline spares a heap
/// allocation and free per compiled method.
struct SmallList<Element> {
    private var first: Element?
    private var rest: [Element] = []

    init() {}

    var isEmpty: Bool { first == nil }
    var count: Int { first == nil ? 0 : 1 + rest.count }

    mutating func append(_ element: Element) {
        if first == nil { first = element } else { rest.append(element) }
    }

    /// The first element matching `predicate`, or nil.
    func first(where predicate: (Element) -> Bool) -> Element? {
        guard let first else { return nil }
        if predicate(first) { return first }
        for element in rest where predicate(element) { return element }
        return nil
    }

    /// Applies `update` to the first element matching `predicate`; returns whether one matched.
    @discardableResult
    mutating func updateFirst(where predicate: (Element) -> Bool, _ update: (inout Element) -> Void) -> Bool {
        guard first != nil else { return false }
        if predicate(first!) {
            update(&first!)
            return true
        }
        guard let index = rest.firstIndex(where: predicate) else { return false }
        update(&rest[index])
        return true
    }

    /// Removes the first element matching `predicate`.
    mutating func removeFirst(where predicate: (Element) -> Bool) {
        guard let head = first else { return }
        if predicate(head) {
            first = rest.isEmpty ? nil : rest.removeFirst()
        } else if let index = rest.firstIndex(where: predicate) {
            rest.remove(at: index)
        }
    }

    mutating func removeAll() {
        first = nil
        if !rest.isEmpty { rest = [] }
    }

    func forEach(_ body: (Element) -> Void) {
        guard let first else { return }
        body(first)
        for element in rest { body(element) }
    }
}
