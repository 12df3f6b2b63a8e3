import CShims
import CodeGC
import GuestVM

/// What a tool hears from the JIT (`jitstack`'s views, perf map, GDB registration, crash-report page
/// history). Called on the thread that compiles or collects, under the JIT's serialization; a callback
/// must not compile, collect or run guest code.
public protocol JITObserver: AnyObject {
    /// `block` of `iseq`, covering instructions `pcs`, was written: inline `code` ranges (entry first) and
    /// `outlined` ranges (side exits, return exits) it refers to.
    func jit(_ jit: GuestJIT, didCompile block: BlockID, iseq: ISeq, pcs: ClosedRange<Int>,
             code: [Range<UInt>], outlined: [Range<UInt>])
    /// A code collection is about to mark (called once per mark pass: twice when it evicts).
    func jitWillCollect(_ jit: GuestJIT)
    /// The collection that just ended (number `gcNumber`, counting from 1) freed `pages`.
    func jit(_ jit: GuestJIT, didFreePages pages: [Int], gcNumber: Int)
}

extension GuestJIT {
    public func codeGC(_ collector: CodeGC, didFreePages pages: [Int]) {
        observer?.jit(self, didFreePages: pages, gcNumber: collector.collectionCount)
    }

    /// The flag the VM's creating thread's JIT code checks at loop back-edges (nonzero: leave to the
    /// interpreter). A posted request (`SafepointRequests`) pokes its low byte so compiled loops reach an
    /// interpreter safepoint.
    public var interruptFlag: UnsafeMutablePointer<UInt8> {
        (mainRuntime.base + Int(RuntimeBlock.interrupt)).assumingMemoryBound(to: UInt8.self)
    }

    /// Clears ``interruptFlag`` after a posted request was served, unless a stop of the world still wants it.
    public func clearInterruptAfterRequest() {
        mainRuntime.word(RuntimeBlock.interrupt).pointee = vm.safepoints.isRequested ? 1 : 0
    }

    /// The ISEQ instruction a return into `returnAddress` continues at (a return point of a compiled send),
    /// as an index into the ISEQ's code, or nil.
    public func resumePC(ofReturnAddress returnAddress: UInt, in iseq: ISeq) -> Int? {
        guard let block = gc.block(containing: returnAddress &- 1), let info = gc.info(block) else { return nil }
        for point in info.returnPoints where point.returnAddress == returnAddress {
            guard let exit = returnExits[point.jumpAddress] else { return nil }
            return exit.pc - iseq.code
        }
        return nil
    }

    /// Whether `owner`'s code is a shared method body that no method uses now (its last user was redefined
    /// or removed): like invalidated code, it is garbage unless a method with its bytecode takes it again.
    public func isUnusedSharedCode(of owner: CodeOwnerID) -> Bool {
        guard SharedBodies.isShared(owner) else { return false }
        return sharedBodies[owner]?.users.isEmpty ?? true
    }

    /// The ISEQ a compiled owner belongs to, if it is still known.
    public func iseq(of owner: CodeOwnerID) -> ISeq? { owners[owner]?.iseq ?? sharedBodies[owner]?.users.first?.iseq }

    /// Whether a collection is running because the JIT asked for it (`JIT.code_gc`, `--stress-gc`,
    /// `JIT.discard_all`) rather than because an allocation found the region full or too occupied.
    public var isCollectingOnRequest: Bool { gcBusy }

    /// The page holding the entry trampoline and the common exits (held for the JIT's life).
    public var sharedCodePage: Int { shared.page }

    /// The page new code is being written to now (held by the JIT while current), if any.
    public var pageBeingWritten: Int? { currentPage }
}
