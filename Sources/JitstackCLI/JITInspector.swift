import CodeGC
import GuestJIT
import GuestVM
import JITDiagnostics

/// `jitstack`'s observer of the JIT: names every compiled block (perf map, GDB, crash-report page text),
/// follows the code region over the run (`pages`), and dumps stacks when asked (`stack`,
/// `--dump-stacks-on-gc`).
final class JITInspector: JITObserver {
    let vm: VM
    unowned let jit: GuestJIT
    private(set) var blocks = CompiledBlockTable()
    let stacks: StackInspector
    let diagnostics: JITDiagnostics?
    /// Compiled code for `perf inject --jit` (`--jitdump`).
    var jitDump: JitDump?
    /// Recorded when the `pages` view or the demo asks.
    var timeline: CodePageTimeline?
    /// Called with the stacks at the start of every code GC (`--dump-stacks-on-gc`).
    var onGCStacks: ((StackDump) -> Void)?
    private var lastStartedGC = 0
    /// Keep the table of compiled blocks (stack dumps, page maps need it; a plain run only names code
    /// for the perf map, GDB and crash reports).
    var tracksBlocks = false

    init(vm: VM, jit: GuestJIT, diagnostics: JITDiagnostics?) {
        self.vm = vm
        self.jit = jit
        self.diagnostics = diagnostics
        stacks = StackInspector(vm: vm, jit: jit)
        jit.observer = self
    }

    /// Called for every compiled block (500,000 times in the churn benchmark): without a view, perf map,
    /// GDB or jitdump it only stores the raw name parts on the crash reporter's page records; text is made
    /// only for an output that wants text.
    func jit(_ jit: GuestJIT, didCompile block: BlockID, iseq: ISeq, pcs: ClosedRange<Int>,
             code: [Range<UInt>], outlined: [Range<UInt>]) {
        if tracksBlocks {
            let pages = code.compactMap { jit.gc.page(of: $0.lowerBound) }
            blocks.add(CompiledBlockTable.Entry(block: block, method: iseq.name, pcs: pcs, ranges: code, pages: pages,
                                                iseqAddress: UInt(bitPattern: iseq.id)))
        }
        if let jitDump {
            let name = CodeName.block(iseq.name, pcs: pcs).text
            for range in code where !range.isEmpty {
                if let bytes = try? jit.region.bytes(at: range.lowerBound, count: range.count) {
                    try? jitDump.record(range, name: name, code: bytes)
                }
            }
        }
        guard let diagnostics else { return }
        // A name per range (perf and GDB want one symbol per contiguous range); failures only lose a name.
        for range in code where !range.isEmpty { try? diagnostics.didCompile(range, name: .block(iseq.name, pcs: pcs)) }
        for range in outlined where !range.isEmpty {
            try? diagnostics.didCompile(range, name: .block(iseq.name, pcs: pcs, exits: true))
        }
    }

    func jitWillCollect(_ jit: GuestJIT) {
        let number = jit.gc.collectionCount + 1
        guard number != lastStartedGC else { return }  // the second mark pass of an evicting collection
        lastStartedGC = number
        guard timeline != nil || onGCStacks != nil else { return }
        blocks.prune(jit.gc)
        let reason = jit.isCollectingOnRequest ? "requested" : "allocation"
        if timeline != nil {
            timeline!.snapshot("before GC \(number)", jit: jit, blocks: blocks, pinned: stacks.pinnedPages())
            timeline!.recordStart(gcNumber: number, reason: reason)
        }
        if let onGCStacks {
            onGCStacks(stacks.dump(trigger: "code GC #\(number), \(reason)", current: vm.runningContext, blocks: blocks))
        }
    }

    func jit(_ jit: GuestJIT, didFreePages pages: [Int], gcNumber: Int) {
        diagnostics?.didFreePages(pages, gcNumber: gcNumber)
        try? diagnostics?.safePoint()
        timeline?.recordFreed(pages, gcNumber: gcNumber, reason: jit.isCollectingOnRequest ? "requested" : "allocation")
        for page in pages { blocks.pageFreed(page) }
    }

    /// The stacks of every execution context now, from the context running `ec`.
    func dump(trigger: String, current ec: ExecutionContext) -> StackDump {
        blocks.prune(jit.gc)
        return stacks.dump(trigger: trigger, current: ec, blocks: blocks)
    }

    /// A final snapshot of the region (the `pages` view's last column).
    func finish() {
        blocks.prune(jit.gc)
        if timeline != nil { timeline!.snapshot("end", jit: jit, blocks: blocks, pinned: stacks.pinnedPages()) }
        try? diagnostics?.safePoint()
    }
}
