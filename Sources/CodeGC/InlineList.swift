/// An element an `InlineList` can hold: unused inline slots hold `placeholder` (no optional tag bytes).
protocol InlineListElement {
    static var placeholder: Self { get }
}

extension Range: InlineListElement where Bound == UInt {
    static var placeholder: Range<UInt> { 0..<0 }
}

extension ReturnPoint: InlineListElement {
    static var placeholder: ReturnPoint { ReturnPoint(returnAddress: 0, jumpAddress: 0) }
}

extension BlockID: InlineListElement {
    static var placeholder: BlockID { BlockID(rawValue: 0) }
}

extension BranchID: InlineListElement {
    static var placeholder: BranchID { BranchID(rawValue: 0) }
}

extension BranchTarget: InlineListElement {
    static var placeholder: BranchTarget { BranchTarget(jumpAddress: 0, key: 0, destination: .unlinked) }
}

/// A list whose first two elements live inside the list itself; more spill into an array. Blocks have one
/// or two ranges and branches, branches one or two targets: keeping those inline spares marking a pointer
/// chase (a likely cache miss) per block.
struct InlineList<Element: InlineListElement>: RandomAccessCollection, MutableCollection {
    private var first = Element.placeholder
    private var second = Element.placeholder
    private var rest: [Element] = []
    private var storedCount: Int32 = 0

    init() {}

    init(_ elements: some Sequence<Element>) {
        for element in elements { append(element) }
    }

    var startIndex: Int { 0 }
    var endIndex: Int { Int(storedCount) }

    subscript(position: Int) -> Element {
        get {
            switch position {
            case 0: return first
            case 1: return second
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

    /// Removes the elements matching `shouldRemove`, keeping the others' order.
    mutating func removeAll(where shouldRemove: (Element) -> Bool) {
        guard contains(where: shouldRemove) else { return }
        var kept = InlineList()
        for element in self where !shouldRemove(element) { kept.append(element) }
        self = kept
    }

    /// Empties the list (and frees any spilled storage).
    mutating func removeAll() { self = InlineList() }

    /// Heap bytes beyond the inline elements.
    var spilledBytes: Int { rest.capacity * MemoryLayout<Element>.stride }
}
