extension GuestJIT {
    /// Every stat `JIT.stat` and `--stats` know, in a stable order: the JIT's own, then CodeGC's.
    public func statistics() -> [(name: String, value: Int)] {
        let gcStats = gc.stats
        var list: [(name: String, value: Int)] = [
            ("compiled_iseq_count", counters.compiledISeqs),
            ("compiled_block_count", counters.compiledBlocks),
            ("inline_code_size", counters.inlineBytes),
            ("outlined_code_size", counters.outlinedBytes),
            ("side_exit_count", Int(runtime.word(RuntimeBlock.sideExits).pointee)),
            ("invalidation_count", counters.invalidations),
            ("jit_entry_count", counters.jitEntries),
            ("split_block_count", counters.splitBlocks),
            ("tracing_invalidation_count", counters.tracingInvalidations),
            ("code_region_size", region.regionSize),
            ("page_size", region.pageSize),
        ]
        gc.measureMetadataBytes()
        list += gc.stats.namedValues.map { $0 }
        _ = gcStats
        return list
    }

    /// One stat by name, or nil for an unknown name.
    public func stat(_ name: String) -> Int? {
        statistics().first { $0.name == name }?.value
    }
}
