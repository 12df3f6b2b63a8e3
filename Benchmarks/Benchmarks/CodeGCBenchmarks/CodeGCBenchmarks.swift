import Benchmark
import Foundation

/// Every micro-benchmark of the library. `JITCODEGC_BENCH_FULL=1` (set by `scripts/bench --full`) adds the
/// slow sizes; each benchmark reports its own custom metrics (ns per walk, per op, per phase) next to the
/// framework's wall clock, and `scripts/bench` turns them into tables.
let benchmarks: @Sendable () -> Void = {
    let full = ProcessInfo.processInfo.environment["JITCODEGC_BENCH_FULL"] != nil
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock],
        warmupIterations: 2,
        maxDuration: .seconds(full ? 3 : 1),
        maxIterations: full ? 2_000 : 300
    )
    registerStackWalkBenchmarks(full: full)
    registerWXBenchmarks(full: full)
    registerAssemblerBenchmarks(full: full)
    registerCollectionPauseBenchmarks(full: full)
}

/// Monotonic nanoseconds for the custom metrics (the framework's clock covers only its own wall clock).
@inline(__always)
func nowNs() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// Recurses `depth` frames deep, then runs `body`: a native stack of known depth to walk.
@inline(never)
func atDepth(_ depth: Int, _ body: () -> Void) -> Int {
    if depth == 0 {
        body()
        return 0
    }
    let result = atDepth(depth - 1, body)
    // An opaque call after the recursion keeps every frame: without it LLVM turns `f(n - 1) + 1` into a loop.
    blackHole(depth)
    return result &+ 1
}
