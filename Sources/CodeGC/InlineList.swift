/// A list whose first two elements live inside the list itself; more spill into an array. Blocks have one
/// or two ranges and branches, branches one or two targets: keeping those inline spares marking a pointer
/// chase (a likely cache miss) per block.
struct InlineList<Element>: RandomAccessCollection, MutableCollection {
    private var first: Element?
    private var second: Element?
    private var rest: [Element] = []
    private var storedCount = 0

    init() {}

    init(_ elements: some Sequence<Element>) {
        for element in elements { append(element) }
    }

    var startIndex: Int { 0 }
    var endIndex: Int { storedCount }

    subscript(position: Int) -> Element {
        get {
            switch position {
            case 0: return first!
            case 1: return second!
            default: return rest[position - 2]
            }
        }
        set {
            switch position {
            case 0: first = newValue
            case 1: second = newValue
            default: rest[position - 2] = newValue
            }
        }
    }

    mutating func append(_ element: Element) {
        switch storedCount {
        case 0: first = element
        case 1: second = element
        default: rest.append(element)
        }
        storedCount += 1
    }

    /// Heap bytes beyond the inline elements.
    var spilledBytes: Int { rest.capacity * MemoryLayout<Element>.stride }
}
