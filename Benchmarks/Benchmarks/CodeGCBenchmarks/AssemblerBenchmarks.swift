import Benchmark
import X86Assembler

/// Assembler throughput: a 32-instruction block shaped like baseline JIT output (frame, loads, arithmetic,
/// compare-and-branch to labels, a call through a register), assembled and finalized `blocks` times.
/// Reports `block_ns` (per block) and `block_bytes`; bytes and blocks per second follow.
func registerAssemblerBenchmarks(full: Bool) {
    Benchmark(
        "assembler/block",
        configuration: .init(metrics: [.throughput, .wallClock, .custom("block_ns"), .custom("block_bytes", useScalingFactor: false)])
    ) { benchmark in
        let blocks = 1_000
        var bytes = 0
        var asm = Assembler(baseAddress: 0x1000_0000)
        benchmark.startMeasurement()
        let start = nowNs()
        for index in 0..<blocks {
            asm.reset(baseAddress: 0x1000_0000 &+ UInt(index) &* 256)
            emitTypicalBlock(&asm)
            bytes = (try? asm.finalize().count) ?? 0
        }
        let elapsed = nowNs() - start
        benchmark.stopMeasurement()
        benchmark.measurement(.custom("block_ns"), Int(elapsed) / blocks)
        benchmark.measurement(.custom("block_bytes", useScalingFactor: false), bytes)
    }
}

@inline(never)
private func emitTypicalBlock(_ asm: inout Assembler) {
    let slowPath = asm.newLabel(), done = asm.newLabel()
    asm.push(.rbp)
    asm.mov(.rbp, .rsp)
    for slot in 0..<4 {
        asm.mov(.rax, .rdi)
        asm.add(.rax, Int32(slot * 8 + 1))
        asm.test(.rax, .rax)
        asm.jcc(.zero, slowPath)
        asm.sub(.rax, 1)
        asm.mov(.rdi, .rax)
    }
    asm.imul(.rax, .rax, 3)
    asm.jmp(done)
    asm.bind(slowPath)
    asm.movabs(.rax, 0x7fff_1234_5678)
    asm.call(.rax)
    asm.bind(done)
    asm.pop(.rbp)
    asm.ret()
}
