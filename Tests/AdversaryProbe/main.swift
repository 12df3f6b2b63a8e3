// A child process for Tests/AdversarialCallbackTests: runs one guest program through the GuestVM and its JIT
// with the adversarial C cfuncs of Tests/CTestFixtures/adversary_cfuncs.c defined on Object, and prints one
// JSON object: the program's output, and for every code collection what the collector reported about its
// stack roots, the pages it freed, and (for collections a fixture asked for) the fixture's ground truth.
// A stale return into freed code (INT3) kills this process with SIGTRAP, not the test runner.
//
//   adversary-probe [--call-threshold N] [--region-size BYTES] [--page-size BYTES] [--stress-gc]
//                   [--checked-walk] SOURCE
//
// `--checked-walk` walks the collecting thread with unw_step (StackWalkMode.checked) instead of unw_backtrace.
//
// After the program, the probe runs `eval("nil", TOPLEVEL_BINDING); JIT.code_gc; JIT.code_gc` (no guest
// frame left) and marks those collections `final`.
import CTestFixtures
import CodeGC
import Foundation
import GuestJIT
import GuestVM

struct ProbeTruth: Codable {
    /// The fixture's truth plus the chains of the threads parked during the collection.
    var addresses: [UInt]
    /// How many of `addresses` came from parked threads' chains.
    var parkedThreadAddresses: Int
    var pages: [Int]
    var chainFrames: Int
    var segmentsUsed: Int
}

struct ProbeCollection: Codable {
    var index: Int
    var final: Bool
    var freedPages: [Int]
    var nativeAddresses: [UInt]
    var nativeStackPages: [Int]
    var pinnedPages: [Int]
    var jitReturns: [UInt]
    var conservativeStacks: Int
    var truth: ProbeTruth?
}

struct ProbeReport: Codable {
    var output: String
    var collections: [ProbeCollection]
    var requestedCollections: Int
    var garbageRBPSeen: Int
    var regionBase: UInt
    var pageSize: Int
    var stats: [String: Int]
}

struct ProbeOptions {
    var configuration = JITConfiguration(callThreshold: 1, regionSize: 1 << 20, pageSize: 4 << 10)
    var source = ""
    var stackWalk = StackWalkMode.precise

    init(_ arguments: [String]) throws {
        var index = 0
        func value() throws -> Int {
            index += 1
            guard index < arguments.count, let n = Int(arguments[index]) else { throw ProbeError("\(arguments[index - 1]) needs a number") }
            return n
        }
        var sources: [String] = []
        while index < arguments.count {
            switch arguments[index] {
            case "--call-threshold": configuration.callThreshold = try value()
            case "--region-size": configuration.regionSize = try value()
            case "--page-size": configuration.pageSize = try value()
            case "--stress-gc": configuration.stressGC = true
            case "--checked-walk": stackWalk = .checked
            default: sources.append(arguments[index])
            }
            index += 1
        }
        guard sources.count == 1 else { throw ProbeError("usage: adversary-probe [options] SOURCE") }
        source = sources[0]
    }
}

struct ProbeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs the program and collects the report (on the big-stack thread).
func runProbe(_ options: ProbeOptions) throws -> ProbeReport {
    let output = OutputBuffer()
    let vm = VM(output: output)
    var printed = ""
    output.capture = { printed += $0 }
    let jit: GuestJIT
    do { jit = try GuestJIT(vm: vm, configuration: options.configuration) } catch { throw ProbeError("\(error)") }
    let base = jit.region.executableBase
    let shift = jit.region.pageSize.trailingZeroBitCount
    jr_adversary_reset()
    jr_adversary_set_region(base, jit.region.executableEnd)

    var collections: [ProbeCollection] = []
    // ADVERSARY_TRACE=1: each collection's roots and freed pages on stderr as it happens (a child that
    // traps prints no report).
    let trace = ProcessInfo.processInfo.environment["ADVERSARY_TRACE"] == "1"
    if trace { FileHandle.standardError.write(Data("region base \(String(base, radix: 16)) page size \(jit.region.pageSize)\n".utf8)) }
    var final = false
    jit.gc.recordsStackRoots = true
    jit.gc.configuration.stackWalk = options.stackWalk
    jit.gc.collectionObserver = { report in
        let roots = report.stackRoots ?? StackRootRecord()
        var truth: ProbeTruth?
        var armed = jr_adversary_truth()
        if jr_adversary_armed_truth(&armed) != 0 {
            var addresses = (0..<armed.count).map { UInt(armed.return_addresses[$0]) }
            // Other threads are still parked (the world resumes when the collector's VM lock is
            // released): their chains start at the rbp each saved when it parked (in jr_park_call).
            var parked: [UInt] = []
            vm.forEachParkedThread { context, _ in
                let rbp = UInt(bitPattern: Int(context.assumingMemoryBound(to: ucontext_t.self).pointee.uc_mcontext.gregs.10))
                var buffer = [UInt](repeating: 0, count: 8192)
                let count = buffer.withUnsafeMutableBufferPointer { jr_adversary_chain(rbp, $0.baseAddress, 8192) }
                parked += buffer[0..<count]
            }
            addresses += parked
            truth = ProbeTruth(addresses: addresses, parkedThreadAddresses: parked.count, pages: Array(Set(addresses.map { Int(($0 - 1 - base) >> shift) })).sorted(),
                               chainFrames: armed.chain_frames, segmentsUsed: armed.segments_used)
        }
        if trace {
            let line = "collection \(collections.count): freed \(report.freedPageIndices) pinned \(roots.pinnedPages) "
                + "jitReturns \(roots.jitReturns.map { String($0, radix: 16) }) native \(roots.nativeAddresses.map { String($0, radix: 16) })\n"
            FileHandle.standardError.write(Data(line.utf8))
        }
        collections.append(ProbeCollection(
            index: collections.count, final: final, freedPages: report.freedPageIndices, nativeAddresses: roots.nativeAddresses,
            nativeStackPages: roots.nativeStackPages, pinnedPages: roots.pinnedPages, jitReturns: roots.jitReturns,
            conservativeStacks: roots.conservativeStackCount, truth: truth))
    }

    var entry = jr_adversary_cfuncs()!
    while let name = entry.pointee.name {
        vm.defineCFunction(vm.objectClass, String(cString: name), arity: entry.pointee.arity, entry.pointee.function)
        entry += 1
    }

    func run(_ source: String) throws {
        let iseq: ISeq
        do { iseq = try vm.compile(source, fileName: "adversary.rb") } catch { throw ProbeError("\(error)") }
        do {
            _ = try vm.run(iseq)
        } catch {
            printed += vm.uncaughtReport(error.value)
        }
        vm.output.flush()
    }
    try run(options.source)
    final = true
    try run("eval(\"nil\", TOPLEVEL_BINDING)\nJIT.code_gc\nJIT.code_gc\n")
    jit.gc.collectionObserver = nil

    var stats: [String: Int] = [:]
    for (name, value) in jit.statistics() { stats[name] = value }
    return ProbeReport(output: printed, collections: collections, requestedCollections: jr_adversary_requested_collections(),
                       garbageRBPSeen: jr_adversary_garbage_rbp_seen(), regionBase: base, pageSize: jit.region.pageSize,
                       stats: stats)
}

/// Result slot the big-stack thread fills.
final class ProbeOutcome: @unchecked Sendable {
    var text = ""
    var failure: String?
}

let options: ProbeOptions
do {
    options = try ProbeOptions(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("adversary-probe: \(error)\n".utf8))
    exit(2)
}
let outcome = ProbeOutcome()
let done = DispatchSemaphore(value: 0)
// 1,000 levels of JIT -> C -> JIT frames in a debug build need far more than the main thread's 8 MiB.
let thread = Thread {
    do {
        let report = try runProbe(options)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        outcome.text = String(decoding: try encoder.encode(report), as: UTF8.self)
    } catch {
        outcome.failure = "\(error)"
    }
    done.signal()
}
thread.stackSize = 512 << 20
thread.start()
done.wait()
if let failure = outcome.failure {
    FileHandle.standardError.write(Data("adversary-probe: \(failure)\n".utf8))
    exit(2)
}
print(outcome.text)
