import Benchmark
import CodeMemory

private typealias NoArgumentFunction = @convention(c) () -> Int

/// W^X cost: rewrite a function's 32-bit immediate, then call it, under each scheme. Reports `op_ps`,
/// picoseconds per write+call (the dual-mapping cycle is ~100 ns, below the framework's resolution per op).
func registerWXBenchmarks(full: Bool) {
    for scheme in [WXStrategy.dualMapping, .mprotectToggle] {
        let name = scheme == .dualMapping ? "dual_mapping" : "mprotect"
        var region: CodeRegion?
        var entry: UInt = 0
        Benchmark(
            "wx/write_run/\(name)",
            configuration: .init(
                metrics: [.throughput, .wallClock, .custom("op_ps")],
                setup: {
                    let fresh = try CodeRegion(CodeRegionConfiguration(
                        regionSize: 64 << 10, pageSize: 16 << 10, strategy: scheme, registersWithUnwinder: false))
                    let page = try fresh.allocatePage()
                    entry = try fresh.allocate(8, alignment: 8, in: .inline, of: page)
                    region = fresh
                },
                teardown: { region = nil })
        ) { benchmark in
            let region = region!
            let function = unsafeBitCast(UnsafeRawPointer(bitPattern: entry)!, to: NoArgumentFunction.self)
            var code: [UInt8] = [0xB8, 0, 0, 0, 0, 0xC3, 0xCC, 0xCC]  // mov eax, imm32; ret
            let cycles = scheme == .dualMapping ? 2_000 : 50
            var checksum = 0
            benchmark.startMeasurement()
            let start = nowNs()
            for cycle in 0..<cycles {
                code[1] = UInt8(truncatingIfNeeded: cycle)
                try? region.write(code, at: entry)
                checksum &+= function()
            }
            let elapsed = nowNs() - start
            benchmark.stopMeasurement()
            blackHole(checksum)
            benchmark.measurement(.custom("op_ps"), Int(elapsed * 1_000) / cycles)
        }
    }
}
