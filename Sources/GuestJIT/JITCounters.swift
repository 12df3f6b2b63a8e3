/// Counters the JIT keeps itself (CodeGC and the region keep theirs).
struct JITCounters {
    var compiledISeqs = 0
    var compiledBlocks = 0
    var inlineBytes = 0
    var outlinedBytes = 0
    var invalidations = 0
    var splitBlocks = 0
    /// Blocks placed whole into unwritten bytes of an earlier page (see `BlockPlacement`).
    var gapPlacements = 0
    /// Compilations of a block thrown away because it did not fit where it was tried (placement's cost).
    var placementRetries = 0
    /// TracePoints enabled while no other was (each invalidated all code).
    var tracingInvalidations = 0
    /// ISEQ calls JIT code made through the send helper instead of a cached call (compiled or interpreted
    /// callee): a site's first call, misses, sites with a block.
    var helperISeqCalls = 0
    /// ISEQs given a shared body compiled for an earlier ISEQ with the same bytecode (see `SharedBodies`).
    var sharedBodyReuses = 0
}
