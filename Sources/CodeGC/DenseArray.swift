/// A growable array of plain values (no references: elements are never deinitialized) in manually managed
/// memory, for the collector's marking state.
///
/// Reads and writes go straight through a pointer: no copy-on-write uniqueness check, no exclusivity
/// check, no reference counting per access, which an `Array` stored in a struct pays on every write in
/// the marking loop. The owner (``GraphStore``, held only by ``CodeGC``) frees it with ``deallocate()``;
/// copies share the memory, so the store is never copied. Memory is aligned to cache lines, so marking
/// knows which elements share one.
struct DenseArray<Element> {
    /// Cache-line alignment of every allocation.
    static var alignment: Int { max(64, MemoryLayout<Element>.alignment) }
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity = 0

    init() { base = Self.allocate(0) }

    private static func allocate(_ capacity: Int) -> UnsafeMutablePointer<Element> {
        UnsafeMutableRawPointer.allocate(byteCount: max(1, capacity) * MemoryLayout<Element>.stride, alignment: alignment)
            .bindMemory(to: Element.self, capacity: capacity)
    }

    subscript(index: Int) -> Element {
        @inline(__always) get {
            assert(index >= 0 && index < count)
            return base[index]
        }
        @inline(__always) nonmutating set {
            assert(index >= 0 && index < count)
            base[index] = newValue
        }
    }

    /// Grows to at least `newCount` elements, filling new ones with `value`.
    mutating func grow(to newCount: Int, filling value: Element) {
        guard newCount > count else { return }
        if newCount > capacity {
            let newCapacity = max(newCount, capacity * 2, 16)
            let fresh = Self.allocate(newCapacity)
            fresh.initialize(from: base, count: count)
            UnsafeMutableRawPointer(base).deallocate()
            base = fresh
            capacity = newCapacity
        }
        (base + count).initialize(repeating: value, count: newCount - count)
        count = newCount
    }

    @inline(__always)
    mutating func append(_ value: Element) {
        if count == capacity { reserve(max(16, capacity * 2)) }
        (base + count).initialize(to: value)
        count += 1
    }

    @inline(__always)
    mutating func popLast() -> Element? {
        guard count > 0 else { return nil }
        count -= 1
        return base[count]
    }

    /// Empties the array, keeping its memory.
    mutating func removeAll() { count = 0 }

    /// Sets every element to `value`.
    func fill(_ value: Element) { base.update(repeating: value, count: count) }

    private mutating func reserve(_ newCapacity: Int) {
        let fresh = Self.allocate(newCapacity)
        fresh.initialize(from: base, count: count)
        UnsafeMutableRawPointer(base).deallocate()
        base = fresh
        capacity = newCapacity
    }

    /// Heap bytes held.
    var footprint: Int { capacity * MemoryLayout<Element>.stride }

    /// Frees the memory (the owner's deinit); the array must not be used afterwards.
    mutating func deallocate() {
        UnsafeMutableRawPointer(base).deallocate()
        count = 0
        capacity = 0
    }
}

/// One bit per slot: the marking state of blocks for one collection, cleared in one pass at its start.
struct MarkBitmap {
    private var words = DenseArray<UInt64>()

    /// Makes room for slots `0..<slotCount`.
    mutating func grow(to slotCount: Int) { words.grow(to: (slotCount + 63) >> 6, filling: 0) }

    /// Clears every bit.
    func clear() { words.fill(0) }

    /// Whether `slot` is set (slots beyond the grown size read as clear).
    @inline(__always)
    func contains(_ slot: Int) -> Bool {
        let word = slot >> 6
        return word < words.count && words[word] & (1 << UInt64(slot & 63)) != 0
    }

    /// Sets or clears `slot` (below the grown size).
    @inline(__always)
    func set(_ slot: Int, to value: Bool) {
        let bit: UInt64 = 1 << UInt64(slot & 63)
        if value { words[slot >> 6] |= bit } else { words[slot >> 6] &= ~bit }
    }

    /// Number of 64-bit words (slots `64 * word ..< 64 * word + 64` each).
    var wordCount: Int { words.count }

    /// The bits of slots `64 * index ..< 64 * index + 64`.
    @inline(__always)
    func word(_ index: Int) -> UInt64 { words[index] }

    /// Sets `slot`; returns whether it was clear before. `slot` must be below the grown size.
    @inline(__always)
    func insert(_ slot: Int) -> Bool {
        let word = slot >> 6
        let bit: UInt64 = 1 << UInt64(slot & 63)
        let old = words[word]
        guard old & bit == 0 else { return false }
        words[word] = old | bit
        return true
    }

    var footprint: Int { words.footprint }

    mutating func deallocate() { words.deallocate() }
}
