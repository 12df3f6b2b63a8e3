extension GuestJIT {
    /// Every stat `JIT.stat` and `--stats` know, in a stable order: the JIT's own, then CodeGC's.
    public func statistics() -> [(name: String, value: Int)] {
        // Reads the collector's structures: not while another thread compiles or collects. Once the VM is
        // gone (someone kept the JIT), nothing else can reach the JIT, and its lock is gone with the VM.
        if vmIsGone { return statisticsLocked() }
        return vm.withVMLock { statisticsLocked() }
    }

    private func statisticsLocked() -> [(name: String, value: Int)] {
        var list: [(name: String, value: Int)] = [
            ("compiled_iseq_count", counters.compiledISeqs),
            ("compiled_block_count", counters.compiledBlocks),
            ("inline_code_size", counters.inlineBytes),
            ("outlined_code_size", counters.outlinedBytes),
            ("side_exit_count", runtimeCounter(RuntimeBlock.sideExits)),
            ("invalidation_count", counters.invalidations),
            ("jit_entry_count", runtimeCounter(RuntimeBlock.jitEntries)),
            ("indirect_return_count", runtimeCounter(RuntimeBlock.indirectReturns)),
            ("split_block_count", counters.splitBlocks),
            ("gap_placement_count", counters.gapPlacements),
            ("placement_retry_count", counters.placementRetries),
            ("tracing_invalidation_count", counters.tracingInvalidations),
            ("helper_iseq_call_count", counters.helperISeqCalls),
            ("shared_code_reuse_count", counters.sharedBodyReuses),
            ("code_region_size", region.regionSize),
            ("page_size", region.pageSize),
        ]
        gc.measureMetadataBytes()  // blocks compiled since the last collection changed it too
        list += gc.stats.namedValues.map { $0 }
        // Stops of the world (collections, invalidations, definitions once threads run) and how long the
        // stopping thread waited for the others to reach a safepoint.
        list += [
            ("safepoint_stop_count", safepoints.stopCount),
            ("safepoint_wait_ns_median", Int(safepoints.timeToSafepointPercentile(50))),
            ("safepoint_wait_ns_p99", Int(safepoints.timeToSafepointPercentile(99))),
            ("safepoint_wait_ns_max", Int(safepoints.maxTimeToSafepointNanos)),
        ]
        return list
    }

    /// One stat by name, or nil for an unknown name.
    public func stat(_ name: String) -> Int? {
        statistics().first { $0.name == name }?.value
    }
}
