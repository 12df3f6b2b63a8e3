import CShims

/// Method tables, lookup, definition, removal and the zombie list that keeps running ISEQs alive.
extension VM {
    /// Finds `id` in `klass` and its ancestors.
    @inline(__always)
    public func findMethod(_ klass: RClass, _ id: Int) -> MethodEntry? {
        var c: RClass? = klass
        while let k = c {
            if let m = k.methods[id] { return m }
            c = k.superclass
        }
        return nil
    }

    /// Installs `entry` in `klass`, replacing any previous method of that name.
    /// Method tables are read without a lock (lookups on cache misses), so they change only with the world
    /// stopped; the JIT's invalidation runs inside the same stop.
    public func addMethod(_ klass: RClass, _ entry: MethodEntry) {
        withWorldStopped {
            let old = klass.methods.updateValue(entry, forKey: entry.nameID)
            methodsChanged(klass, entry.nameID, retired: old)
        }
    }

    /// Defines a guest method from a compiled ISEQ.
    func defineISeqMethod(_ klass: RClass, name id: Int, iseq: ISeq, cref: Cref?) {
        addMethod(klass, MethodEntry(name: symbols.name(id), nameID: id, body: .iseq(iseq), owner: klass, cref: cref))
    }

    /// Defines a cfunc. C-written cfuncs must be `protected` (they may longjmp).
    public func defineCFunction(_ klass: RClass, _ name: String, arity: Int, protected: Bool = true,
                                hidden: Bool = false, _ fn: CFunction) {
        let id = symbols.id(name)
        addMethod(klass, MethodEntry(name: name, nameID: id, body: .cfunc(fn, arity: arity, protected: protected),
                                     owner: klass, cref: nil, hiddenFromBacktrace: hidden))
    }

    /// Removes `klass`'s own method `id`; false when it has none.
    @discardableResult
    public func removeMethod(_ klass: RClass, _ id: Int) -> Bool {
        withWorldStopped {
            guard let old = klass.methods.removeValue(forKey: id) else { return false }
            methodsChanged(klass, id, retired: old)
            return true
        }
    }

    private func methodsChanged(_ klass: RClass, _ id: Int, retired: MethodEntry?) {
        methodSerial &+= 1
        if let retired { zombies.append(retired) }
        let name = symbols.name(id)
        if booted && basicOperationsMask != 0 && VM.basicOperationNames.contains(name)
            && (klass === integerClass || klass === arrayClass || klass === stringClass) {
            basicOperationsMask = 0
        }
        for o in methodObservers { o.methodChanged(in: klass, name: name, nameID: id) }
        reapZombies()
    }

    /// Releases retired method entries that no frame of any execution context is running any more
    /// (their ISEQs then die unless something else owns them).
    /// Multi-threaded, other threads' frames are read with the world stopped.
    public func reapZombies() {
        guard !zombies.isEmpty else { return }
        withWorldStopped { reapZombiesStopped() }
    }

    private func reapZombiesStopped() {
        guard !zombies.isEmpty else { return }
        if zombies.count <= 64 { return reapFewZombies() }
        var running = Set<UnsafeMutableRawPointer>()
        forEachFrame { _, f in
            if let i = f.pointee.iseq {
                running.insert(Unmanaged<ISeq>.fromOpaque(i).takeUnretainedValue().root.id)
            }
            if let m = f.pointee.methodEntry { running.insert(m) }
        }
        zombies.removeAll { z in
            if running.contains(z.opaque) { return false }
            if let i = z.iseq, running.contains(i.id) { return false }
            return true
        }
    }

    /// The usual case (a method was just redefined: one or a few zombies): each frame is compared with
    /// every zombie's entry and ISEQ, kept in a stack buffer, and running zombies are noted in a bit mask;
    /// nothing is allocated or hashed, which a churn of redefinitions would pay on every `def`.
    private func reapFewZombies() {
        let count = zombies.count
        var running: UInt64 = 0
        withUnsafeTemporaryAllocation(of: UnsafeMutableRawPointer?.self, capacity: 2 * count) { ids in
            for (index, zombie) in zombies.enumerated() {
                ids[2 * index] = zombie.opaque
                ids[2 * index + 1] = zombie.iseq?.id
            }
            forEachFrame { _, f in
                let iseq = f.pointee.iseq.map { Unmanaged<ISeq>.fromOpaque($0).takeUnretainedValue().root.id }
                let entry = f.pointee.methodEntry
                for index in 0..<count {
                    if (entry != nil && ids[2 * index] == entry) || (iseq != nil && ids[2 * index + 1] == iseq) {
                        running |= 1 << UInt64(index)
                    }
                }
            }
        }
        if running == 0 { return zombies.removeAll(keepingCapacity: true) }
        var kept = 0
        for index in 0..<count where running & (1 << UInt64(index)) != 0 {
            zombies.swapAt(kept, index)
            kept += 1
        }
        zombies.removeSubrange(kept..<count)
    }

    /// Number of retired entries waiting for their frames to leave.
    public var zombieCount: Int { zombies.count }
}
