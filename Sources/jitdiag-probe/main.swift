// A child process for the JITDiagnostics tests and scripts: runs one scenario with real JIT code.
//
//   jitdiag-probe gdb                 JIT code named `jit:Probe#callC@pc0-3` calls diag_fixture_called_from_jit
//                                     (which calls diag_fixture_breakpoint); prints the result. A gdb target.
//   jitdiag-probe crash-freed-page    compiles `jit:Doomed#method@pc0-2`, lets a collection free its page,
//                                     then calls it: the crash reporter must report and abort.
//   jitdiag-probe crash-live-page     live JIT code (`jit:Bad#ud2@pc0-1`, called from C) executes ud2: SIGILL
//                                     on a live page, reported with what the page holds.
//   jitdiag-probe crash-under-static-c  live JIT code executes ud2 when called through a static C function:
//                                     the report must name that frame from `.symtab`.
//   jitdiag-probe crash-outside       installs the crash reporter, then faults outside the code region: the
//                                     default action (SIGSEGV) must win, with no report.
//   jitdiag-probe perf-exit PATH      records two perf map lines and exits without flushing (atexit must).
//   jitdiag-probe perf-loop SECONDS   spins in a named JIT loop with a perf map (for scripts/perf-demo).
import CShims
import CTestFixtures
import CodeGC
import CodeMemory
import Glibc
import JITDiagnostics
import X86Assembler

typealias JITFunction = @convention(c) (Int) -> Int

/// Forwards freed pages to the diagnostics, as a JIT's CodeGCRoots would.
final class ProbeClient: CodeGCRoots {
    var diagnostics: JITDiagnostics?
    func addRoots(to roots: inout CodeGCRootSet) {}
    func codeGC(_ collector: CodeGC, didRemoveEntry block: BlockID, of owner: CodeOwnerID) {}
    func codeGC(_ collector: CodeGC, didFreePages pages: [Int]) {
        diagnostics?.didFreePages(pages, gcNumber: collector.collectionCount)
    }
}

func fail(_ message: String) -> Never {
    FileHandleStderr.write("jitdiag-probe: \(message)\n")
    exit(2)
}

enum FileHandleStderr {
    static func write(_ text: String) { _ = text.withCString { Glibc.write(2, $0, strlen($0)) } }
}

/// Assembles `build` at the next 16-byte-aligned inline address of `page` and writes it.
func install(_ region: CodeRegion, page: Int, _ build: (inout Assembler) -> Void) throws -> Range<UInt> {
    let start = region.bumpAddress(.inline, of: PageIndex(page), alignment: 16)
    var assembler = Assembler(baseAddress: start)
    build(&assembler)
    let bytes = try assembler.finalize()
    let address = try region.emit(bytes, alignment: 16, in: .inline, of: PageIndex(page))
    return address..<(address + UInt(bytes.count))
}

func addressOf(_ function: @convention(c) (Int) -> Int) -> UInt { UInt(bitPattern: unsafeBitCast(function, to: Int.self)) }

/// Live JIT code that traps (`push rbp; mov rbp, rsp; ud2`: an rbp frame the walk can leave), named `name`
/// for the crash reporter; prints its address for the test to match.
func installTrap(_ region: CodeRegion, page: Int, diagnostics: JITDiagnostics, name: String) throws -> Range<UInt> {
    let bad = try install(region, page: page) { assembler in
        assembler.push(.rbp)
        assembler.mov(.rbp, .rsp)
        assembler.emitBytes([0x0f, 0x0b])  // ud2
    }
    try diagnostics.didCompile(bad, name: name)
    print("bad code at \(String(bad.lowerBound, radix: 16)) on page \(page)")
    fflush(nil)
    return bad
}

func runGDBTarget() throws {
    let region = try CodeRegion(CodeRegionConfiguration(regionSize: 4 * (16 << 10), pageSize: 16 << 10))
    let page = try region.allocatePage().rawValue
    let callee = addressOf(diag_fixture_called_from_jit)
    let code = try install(region, page: page) { assembler in
        assembler.push(.rbp)
        assembler.mov(.rbp, .rsp)
        assembler.movabs(.rax, UInt64(callee))
        assembler.call(.rax)
        assembler.pop(.rbp)
        assembler.ret()
    }
    let gdb = try GDBJITInterface(executableBase: region.executableBase, pageSize: region.pageSize, pageCount: region.pageCount)
    try gdb.register(code, name: "jit:Probe#callC@pc0-3")
    let function = unsafeBitCast(code.lowerBound, to: JITFunction.self)
    print("result \(function(41))")
}

func runCrashIntoFreedPage() throws {
    let region = try CodeRegion(CodeRegionConfiguration(regionSize: 8 * (16 << 10), pageSize: 16 << 10))
    let client = ProbeClient()
    let gc = CodeGC(space: region, configuration: CodeGCConfiguration(policy: CollectionPolicy(occupancyThreshold: nil)))
    gc.roots = client
    let reporter = try CrashReporter.install(
        executableBase: region.executableBase, pageSize: region.pageSize, pageCount: region.pageCount)
    let diagnostics = JITDiagnostics(space: region, crashReporter: reporter)
    client.diagnostics = diagnostics
    // A live page first, so the freed one is not page 0 by accident of layout.
    let keep = try require(try gc.allocatePage())
    let kept = try install(region, page: keep) { $0.ret() }
    try diagnostics.didCompile(kept, name: "jit:Kept#alive@pc0-1")
    let page = try require(try gc.allocatePage())
    let code = try install(region, page: page) { assembler in
        assembler.push(.rbp)
        assembler.mov(.rbp, .rsp)
        assembler.pop(.rbp)
        assembler.ret()
    }
    _ = try gc.addBlock(owner: CodeOwnerID(7), ranges: [code])
    try diagnostics.didCompile(code, name: "jit:Doomed#method@pc0-2")
    try gc.releasePage(page)
    let report = try gc.collect()
    guard report.freedPageIndices == [page] else { fail("expected page \(page) freed, got \(report.freedPageIndices)") }
    print("freed page \(page) at \(String(code.lowerBound, radix: 16)) by GC #\(gc.stats.codeGCCount)")
    fflush(nil)
    let stale = unsafeBitCast(code.lowerBound, to: JITFunction.self)
    _ = diag_fixture_call_static(stale(1))
    fail("returned from freed code")
}

func runCrashInLivePage() throws {
    let region = try CodeRegion(CodeRegionConfiguration(regionSize: 4 * (16 << 10), pageSize: 16 << 10))
    let reporter = try CrashReporter.install(
        executableBase: region.executableBase, pageSize: region.pageSize, pageCount: region.pageCount)
    let diagnostics = JITDiagnostics(space: region, crashReporter: reporter)
    let page = try region.allocatePage().rawValue
    let first = try install(region, page: page) { $0.ret() }
    try diagnostics.didCompile(first, name: "jit:Fine#ret@pc0-1")
    let bad = try installTrap(region, page: page, diagnostics: diagnostics, name: "jit:Bad#ud2@pc0-1")
    // Called straight from Swift: the walk goes JIT -> Swift -> C (main, libc).
    _ = unsafeBitCast(bad.lowerBound, to: JITFunction.self)(1)
    fail("survived ud2")
}

func runCrashUnderStaticC() throws {
    let region = try CodeRegion(CodeRegionConfiguration(regionSize: 4 * (16 << 10), pageSize: 16 << 10))
    let reporter = try CrashReporter.install(
        executableBase: region.executableBase, pageSize: region.pageSize, pageCount: region.pageCount)
    let diagnostics = JITDiagnostics(space: region, crashReporter: reporter)
    let page = try region.allocatePage().rawValue
    let bad = try installTrap(region, page: page, diagnostics: diagnostics, name: "jit:UnderC#ud2@pc0-1")
    _ = diag_fixture_call_through_static(unsafeBitCast(bad.lowerBound, to: JITFunction.self), 1)
    fail("survived ud2")
}

func runCrashOutsideRegion() throws {
    let region = try CodeRegion(CodeRegionConfiguration(regionSize: 4 * (16 << 10), pageSize: 16 << 10))
    _ = try CrashReporter.install(executableBase: region.executableBase, pageSize: region.pageSize, pageCount: region.pageCount)
    print("faulting outside the region")
    fflush(nil)
    let nowhere = UnsafeMutablePointer<Int>(bitPattern: 8)!
    nowhere.pointee = 1
    fail("survived a write to address 8")
}

func runPerfExit(path: String) throws {
    let map = try PerfMap(path: path)
    try map.record(0x1000..<0x1040, name: "jit:AtExit#one@pc0-4")
    try map.record(0x2000..<0x2010, name: "jit:AtExit#two@pc0-1")
    exit(0)
}

func runPerfLoop(seconds: Double) throws {
    let region = try CodeRegion(CodeRegionConfiguration(regionSize: 4 * (16 << 10), pageSize: 16 << 10))
    let page = try region.allocatePage().rawValue
    // rdi iterations of a dependent chain: hot enough for samples to land in it.
    let code = try install(region, page: page) { assembler in
        assembler.push(.rbp)
        assembler.mov(.rbp, .rsp)
        assembler.mov(.rax, .rdi)
        let top = assembler.newLabel()
        assembler.bind(top)
        assembler.sub(.rax, Int32(1))
        assembler.jcc(.notEqual, top)
        assembler.pop(.rbp)
        assembler.ret()
    }
    let map = try PerfMap()
    let diagnostics = JITDiagnostics(space: region, perfMap: map)
    try diagnostics.didCompile(code, name: "jit:PerfDemo#spin@pc0-5")
    try diagnostics.safePoint()
    let function = unsafeBitCast(code.lowerBound, to: JITFunction.self)
    let start = CodeGC.monotonicNanoseconds()
    var rounds = 0
    while Double(CodeGC.monotonicNanoseconds() - start) < seconds * 1e9 {
        _ = function(10_000_000)
        rounds += 1
    }
    print("ran jit:PerfDemo#spin \(rounds) times; perf map \(map.path)")
}

/// `try #require` without Testing: unwraps or fails.
func `require`<T>(_ value: T?) throws -> T {
    guard let value else { fail("unexpected nil") }
    return value
}

let arguments = CommandLine.arguments.dropFirst()
do {
    switch arguments.first {
    case "gdb": try runGDBTarget()
    case "crash-freed-page": try runCrashIntoFreedPage()
    case "crash-live-page": try runCrashInLivePage()
    case "crash-under-static-c": try runCrashUnderStaticC()
    case "crash-outside": try runCrashOutsideRegion()
    case "perf-exit": try runPerfExit(path: String(arguments.dropFirst().first ?? "/tmp/jitdiag-perf-exit.map"))
    case "perf-loop": try runPerfLoop(seconds: Double(arguments.dropFirst().first ?? "2") ?? 2)
    default: fail("usage: jitdiag-probe gdb | crash-freed-page | crash-live-page | crash-under-static-c | crash-outside | perf-exit PATH | perf-loop [SECONDS]")
    }
} catch {
    fail("\(error)")
}
