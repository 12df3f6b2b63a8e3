import CodeGC
import Glibc

// ExprJIT: compiles arithmetic functions with the JITCodeGC library, redefines them until the small code
// region must be collected, collects from inside running JIT code, and checks every result against the
// interpreter. Exits 1 on a wrong result. `ExprJIT bench [blocks] [frames] [collections]` measures collection pauses.

func fail(_ message: String) -> Never {
    print("ExprJIT: FAILED: \(message)")
    exit(1)
}

func check(_ engine: ExprEngine, _ name: String, _ x: Int) throws {
    let expected = engine.functions[name]!.expression.evaluate(x: x, collected: 1)
    let actual = try engine.call(name, x)
    if actual != expected { fail("\(name)(\(x)) = \(actual), expected \(expected)") }
}

func runDemo() throws {
    // 16 pages of 4 KiB: small enough that the churn below must collect many times.
    let engine = try ExprEngine(pageSize: 4096, pageCount: 16)
    ExprEngine.current = engine
    try engine.define("square", "x * x + 1")
    try engine.define("poly", "(x + 2) * (x - 3) * 7")
    try engine.define("gcInside", "collect() + x * 10 - 4")
    for x in -3...3 {
        for name in ["square", "poly", "gcInside"] { try check(engine, name, x) }
    }
    print("compiled square, poly, gcInside; gcInside ran collect() from JIT code and returned correctly")

    // Churn: 3,000 redefinitions, each compiled and called once; every old version becomes garbage.
    for i in 0..<3000 {
        try engine.define("churn", "x * \(i) + \(i % 7) - (x - 1) * (x + \(i % 13))")
        try check(engine, "churn", i)
    }
    let churned = engine.gc.stats
    if churned.codeGCCount == 0 { fail("3,000 redefinitions in a 64 KiB region never collected") }
    if churned.livePageCount > 16 { fail("more live pages than the region holds") }
    print("churn: 3000 redefinitions, \(engine.compilations) compilations, \(churned.codeGCCount) collections, "
          + "\(churned.freedPageCount) pages freed, \(churned.livePageCount) live")

    // The adversary: gcInside redefines itself from inside its own compiled code, then collects. Its page
    // must survive (its frame returns into it) and the call must leave through the patched return point.
    engine.redefineDuringCollect = ("gcInside", "collect() + x * 10 - 4")
    try check(engine, "gcInside", 5)
    if engine.deoptimizations != 1 { fail("the invalidated frame did not leave through its exit") }
    try check(engine, "gcInside", 6)  // recompiled
    for _ in 0..<2 { try engine.gc.collect() }
    try check(engine, "square", 9)
    try check(engine, "poly", 9)

    for line in engine.log.suffix(4) { print("  " + line) }
    print("stats:")
    for (name, value) in engine.gc.stats.namedValues { print("  \(name): \(value)") }
    if engine.gc.stats.preciseStackCount == 0 { fail("no stack was walked precisely") }
    if engine.gc.stats.conservativeStackCount != 0 { fail("a stack walk fell back to scanning") }
    print("ExprJIT: all results correct")
}

do {
    let arguments = CommandLine.arguments.dropFirst()
    if arguments.first == "bench" {
        let numbers = arguments.dropFirst().compactMap { Int($0) }
        try runBenchmark(blocks: numbers.first ?? 100_000, frames: numbers.dropFirst().first ?? 1000,
                         collections: numbers.dropFirst(2).first ?? 7)
    } else {
        try runDemo()
    }
} catch {
    fail("\(error)")
}
