import CodeGC
import CodeMemory
import Glibc

/// CPU time of the calling thread in nanoseconds.
func threadCPUNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// Recurses `depth` Swift frames deep, then runs `body`: a stack of known depth for the walk.
@inline(never)
func atDepth(_ depth: Int, _ body: () throws -> Void) rethrows -> Int {
    if depth == 0 {
        try body()
        return 0
    }
    return try atDepth(depth - 1, body) &+ 1
}

/// Collection pauses on a synthetic graph: `blocks` blocks of 64 bytes, chained 32 per owner (the first
/// an entry), each with a real patchable jump to the next, in a 64 MiB region of 16 KiB pages; one owner
/// in ten loses its entry so the first collection has garbage to free. Collects with `frames` extra frames
/// on the stack and prints the pause split; `collections` (at least 2) are run, the first reported apart.
func runBenchmark(blocks: Int, frames: Int, collections: Int = 7) throws {
    let pageSize = 16 << 10
    let region = try CodeRegion(CodeRegionConfiguration(regionSize: 64 << 20, pageSize: pageSize))
    let gc = CodeGC(space: region, configuration: CodeGCConfiguration(
        policy: CollectionPolicy(occupancyThreshold: nil, evicts: false)))
    let blockSize = 64
    let code = [0xE9, 0, 0, 0, 0] + [UInt8](repeating: 0xCC, count: blockSize - 5)
    var page: Int?
    var previous: (block: BlockID, address: UInt)?
    let setupStart = CodeGC.monotonicNanoseconds()
    for index in 0..<blocks {
        if page == nil || region.remaining(.inline, of: PageIndex(page!)) < blockSize {
            if let page { try gc.releasePage(page) }
            guard let fresh = try gc.allocatePage() else { print("region full after \(index) blocks"); break }
            page = fresh
        }
        let address = try region.allocate(blockSize, alignment: 8, in: .inline, of: PageIndex(page!))
        try region.write(code, at: address)
        let owner = CodeOwnerID(UInt64(index / 32))
        let block = try gc.addBlock(owner: owner, ranges: [address..<(address + UInt(blockSize))])
        if index % 32 == 0 {
            try gc.setEntry(block)
        } else if let previous {
            let branch = try gc.addBranch(from: previous.block, targets: [BranchTargetSpec(jumpAddress: previous.address, key: 0)])
            try gc.linkBranch(branch, target: 0, to: block)
        }
        previous = (block, address)
    }
    if let page { try gc.releasePage(page) }
    for owner in stride(from: 0, to: blocks / 32, by: 10) { gc.removeEntries(of: CodeOwnerID(UInt64(owner))) }
    let setupMs = (CodeGC.monotonicNanoseconds() - setupStart) / 1_000_000
    let livePages = gc.stats.livePageCount
    print("graph: \(blocks) blocks in \(livePages) pages (\((livePages * pageSize) >> 20) MiB of pages), built in \(setupMs) ms; \(frames) extra frames on the stack")

    // Pauses are wall-clock times; on a shared machine a preempted collection looks long, so the thread's
    // CPU time per collection is printed too (what the collector itself cost).
    var reports: [(report: CollectionReport, cpuNs: UInt64)] = []
    for _ in 0..<max(2, collections) {
        _ = try atDepth(frames) {
            let cpuStart = threadCPUNanoseconds()
            let report = try gc.collect()
            reports.append((report, threadCPUNanoseconds() - cpuStart))
        }
    }
    func line(_ label: String, _ run: (report: CollectionReport, cpuNs: UInt64)) {
        let us = { (ns: UInt64) in ns / 1000 }
        let report = run.report
        print("\(label): pause \(us(report.pauseNs)) us = mark \(us(report.markNs)) + stack walk \(us(report.stackWalkNs))"
              + " + sweep \(us(report.sweepNs)); cpu \(us(run.cpuNs)) us; freed \(report.freedPages) pages, \(report.freedBlocks) blocks")
    }
    line("first collection", reports[0])
    let steady = reports.dropFirst().sorted { $0.report.pauseNs < $1.report.pauseNs }
    line("steady state (median of \(steady.count))", steady[steady.count / 2])
    let cpu = reports.dropFirst().map(\.cpuNs).sorted()
    // On a loaded machine the least disturbed collection shows what the collector itself needs.
    let fastest = reports.dropFirst().min { $0.report.pauseNs < $1.report.pauseNs }!
    line("steady state (fastest of \(steady.count))", fastest)
    print("steady state cpu (median of \(cpu.count)): \(cpu[cpu.count / 2] / 1000) us")
    print("metadata: \(gc.stats.metadataBytes) bytes for \(gc.stats.blockCount) blocks")
}
