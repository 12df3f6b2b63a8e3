import Benchmark
import CodeGC
import CodeMemory

/// A synthetic code graph with `liveMiB` of live code (the same shape as `Examples/ExprJIT bench`): 64-byte
/// blocks chained 32 per owner by real patchable jumps, 16 KiB pages whose inline half holds the blocks.
final class CollectionFixture {
    let region: CodeRegion
    let gc: CodeGC

    init(liveMiB: Int) throws {
        let pageSize = 16 << 10
        let blockSize = 64
        // Only the inline half (half a page) holds blocks: pages = MiB of live code / half a page.
        let pages = liveMiB << 20 / pageSize
        let blocks = pages * (pageSize / 2 / blockSize)
        region = try CodeRegion(CodeRegionConfiguration(regionSize: max(64 << 20, (pages + 64) * pageSize * 2), pageSize: pageSize))
        gc = CodeGC(space: region, configuration: CodeGCConfiguration(
            policy: CollectionPolicy(occupancyThreshold: nil, evicts: false)))
        let code = [0xE9, 0, 0, 0, 0] + [UInt8](repeating: 0xCC, count: blockSize - 5)
        var page: Int?
        var previous: (block: BlockID, address: UInt)?
        for index in 0..<blocks {
            if page == nil || region.remaining(.inline, of: PageIndex(page!)) < blockSize {
                if let page { try gc.releasePage(page) }
                guard let fresh = try gc.allocatePage() else { break }
                page = fresh
            }
            let address = try region.allocate(blockSize, alignment: 8, in: .inline, of: PageIndex(page!))
            try region.write(code, at: address)
            let block = try gc.addBlock(owner: CodeOwnerID(UInt64(index / 32)), ranges: [address..<(address + UInt(blockSize))])
            if index % 32 == 0 {
                try gc.setEntry(block)
            } else if let previous {
                let branch = try gc.addBranch(from: previous.block, targets: [BranchTargetSpec(jumpAddress: previous.address, key: 0)])
                try gc.linkBranch(branch, target: 0, to: block)
            }
            previous = (block, address)
        }
        if let page { try gc.releasePage(page) }
        // The first collection frees nothing but warms the tables; every measured one is a steady state.
        _ = try gc.collect()
    }
}

/// Pause split (mark, stack walk, sweep) of a collection that frees nothing, for 1/8 MiB of live code (and
/// 64 MiB with `--full`) with 10 and 1,000 extra frames on the collecting thread.
func registerCollectionPauseBenchmarks(full: Bool) {
    for liveMiB in full ? [1, 8, 64] : [1, 8, 64] {
        for frames in [10, 1_000] {
            var fixture: CollectionFixture?
            let metrics: [BenchmarkMetric] = [.throughput, .wallClock, .custom("pause_ns"), .custom("mark_ns"),
                                              .custom("walk_ns"), .custom("sweep_ns"), .custom("live_pages", useScalingFactor: false)]
            Benchmark(
                "gc/pause/\(liveMiB)MiB/\(frames)",
                configuration: .init(metrics: metrics, maxIterations: liveMiB >= 64 ? 7 : (full ? 100 : 25),
                                     setup: { fixture = try CollectionFixture(liveMiB: liveMiB) },
                                     teardown: { fixture = nil })
            ) { benchmark in
                let gc = fixture!.gc
                _ = atDepth(frames) {
                    benchmark.startMeasurement()
                    let report = try? gc.collect()
                    benchmark.stopMeasurement()
                    guard let report else { return }
                    benchmark.measurement(.custom("pause_ns"), Int(report.pauseNs))
                    benchmark.measurement(.custom("mark_ns"), Int(report.markNs))
                    benchmark.measurement(.custom("walk_ns"), Int(report.stackWalkNs))
                    benchmark.measurement(.custom("sweep_ns"), Int(report.sweepNs))
                    benchmark.measurement(.custom("live_pages", useScalingFactor: false), gc.stats.livePageCount)
                }
            }
        }
    }
}
