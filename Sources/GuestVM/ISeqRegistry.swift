import Synchronization

/// Every live ISEQ of one VM, without owning them: entries are added at creation and removed in the
/// ISEQ's `deinit`, when observers are told the ISEQ died. Also the object collector's roots for the
/// heap objects live ISEQs embed (`ISeq.objectLiterals`).
public final class ISeqRegistry {
    /// The live ISEQs' ids, unordered; each ISEQ knows its position (`ISeq.registrySlot`), so adding and
    /// removing one is an append and a swap with the last, no hashing (every `eval` adds and removes a few).
    private let live = Mutex<[UInt]>([])
    /// `objectLiterals` of the live ISEQs that have any (few do), by ISEQ id.
    private let literals = Mutex<[UInt: [Value]]>([:])
    private let observers = Mutex<[@Sendable (UnsafeMutableRawPointer, AnyObject?) -> Void]>([])

    public init() {}

    func add(_ iseq: ISeq) {
        let id = UInt(bitPattern: iseq.id)
        live.withLock { ids in
            iseq.registrySlot = ids.count
            ids.append(id)
        }
        if !iseq.objectLiterals.isEmpty {
            let values = iseq.objectLiterals
            literals.withLock { $0[id] = values }
        }
    }

    func remove(_ iseq: ISeq) {
        let id = iseq.id
        live.withLock { ids in
            let slot = iseq.registrySlot
            guard slot >= 0, slot < ids.count, ids[slot] == UInt(bitPattern: id) else { return }
            let last = ids.removeLast()
            iseq.registrySlot = -1
            guard slot < ids.count else { return }
            // The last ISEQ takes the freed position (it is alive: it is still listed, and a dying one
            // waits for this lock before reading its position).
            ids[slot] = last
            Unmanaged<ISeq>.fromOpaque(UnsafeRawPointer(bitPattern: last)!).takeUnretainedValue().registrySlot = slot
        }
        if !iseq.objectLiterals.isEmpty { literals.withLock { _ = $0.removeValue(forKey: UInt(bitPattern: id)) } }
        let callbacks = observers.withLock { $0 }
        let payload = iseq.jitPayload
        for callback in callbacks { callback(id, payload) }
    }

    /// Registers `callback`, called with the dying ISEQ's `id` from its deinit.
    public func observeDeaths(_ callback: @escaping @Sendable (UnsafeMutableRawPointer) -> Void) {
        observers.withLock { $0.append({ id, _ in callback(id) }) }
    }

    /// Registers `callback`, called from the dying ISEQ's deinit with its `id` and its `jitPayload` (so the
    /// JIT reaches its per-ISEQ record without a table keyed by ISEQ).
    public func observeDeathsWithPayload(_ callback: @escaping @Sendable (UnsafeMutableRawPointer, AnyObject?) -> Void) {
        observers.withLock { $0.append(callback) }
    }

    public var liveCount: Int { live.withLock { $0.count } }

    /// Calls `body` with every object literal of every live ISEQ (the collector's roots).
    func forEachObjectLiteral(_ body: (Value) -> Void) {
        literals.withLock { table in
            for (_, values) in table {
                for v in values { body(v) }
            }
        }
    }

    /// The live ISEQs (strong references for the duration of the caller's use).
    public func liveISeqs() -> [ISeq] {
        live.withLock { ids in ids.map { Unmanaged<ISeq>.fromOpaque(UnsafeMutableRawPointer(bitPattern: $0)!).takeUnretainedValue() } }
    }
}
