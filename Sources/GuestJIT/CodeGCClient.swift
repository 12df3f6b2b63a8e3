import CodeGC
import GuestVM

/// What the JIT hands its collector as ``CodeGC/roots`` and ``CodeGC/codeFactory``: forwards every call to
/// the JIT.
///
/// CodeGC holds both weakly, and a weakly referenced object keeps its reference counts in a side table,
/// where every retain and release takes Swift's slow path. The JIT itself is retained on every send from
/// the interpreter, every method definition (as a method observer) and every helper call: this small
/// object, owned by the JIT, takes the side table instead.
final class CodeGCClient: CodeGCRoots, InvalidationCodeFactory {
    /// The JIT owns this object and clears the collector's references to it before it dies.
    unowned(unsafe) let jit: GuestJIT

    init(jit: GuestJIT) { self.jit = jit }

    func addRoots(to roots: inout CodeGCRootSet) { jit.addRoots(to: &roots) }

    func codeGC(_ collector: CodeGC, didRemoveEntry block: BlockID, of owner: CodeOwnerID) {
        jit.codeGC(collector, didRemoveEntry: block, of: owner)
    }

    func codeGC(_ collector: CodeGC, didFreeAllCodeOf owners: [CodeOwnerID]) {
        jit.codeGC(collector, didFreeAllCodeOf: owners)
    }

    func codeGC(_ collector: CodeGC, didFreePages pages: [Int]) { jit.codeGC(collector, didFreePages: pages) }

    func codeGC(_ collector: CodeGC, didEvict owners: [CodeOwnerID]) { jit.codeGC(collector, didEvict: owners) }

    func makeStub(_ stub: StubID, for request: StubRequest) -> Range<UInt>? { jit.makeStub(stub, for: request) }

    func makeReturnExit(for block: BlockID, owner: CodeOwnerID, at point: ReturnPoint) -> Range<UInt>? {
        jit.makeReturnExit(for: block, owner: owner, at: point)
    }
}
