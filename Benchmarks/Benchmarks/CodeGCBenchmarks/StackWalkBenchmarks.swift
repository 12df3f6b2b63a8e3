import Benchmark
import BenchShims
import CShims
import CodeGC
import CodeMemory
import Foundation

/// Where the walked stack lives.
enum WalkedStack: String, CaseIterable {
    /// The benchmark's own thread, walked while running.
    case running
    /// A fiber suspended in `jr_fiber_yield`, walked from its saved context.
    case fiber
    /// A thread parked after getcontext, walked from that context.
    case parked
}

/// How the stack is walked.
enum WalkMethod: String, CaseIterable {
    /// libunwind `unw_step` per frame (`StackWalkMode.checked`, `jr_unwind_walk_*`).
    case unwStep = "unw_step"
    /// libunwind `unw_backtrace` (per-thread cache; running thread only).
    case unwBacktrace = "unw_backtrace"
    /// Every stack word compared against the code region.
    case conservative
    /// Following saved rbp links (exact only while every frame keeps one).
    case framePointer = "frame_pointer"
}

/// A stack of `depth` extra frames ready to be walked, and the walk itself.
final class StackWalkFixture {
    let depth: Int
    let stack: WalkedStack
    let region: CodeRegion
    let walker: StackWalker
    private var fiber: OpaquePointer?
    private var parked: ParkedThread?

    init(depth: Int, stack: WalkedStack) throws {
        self.depth = depth
        self.stack = stack
        // A registered region, as in a real client: libunwind consults its dynamic table on every step.
        region = try CodeRegion(CodeRegionConfiguration(regionSize: 1 << 20))
        walker = StackWalker(region: region.executableBase..<(region.executableBase + UInt(1 << 20)))
        switch stack {
        case .running: break
        case .fiber:
            let argument = UnsafeMutablePointer<Int>.allocate(capacity: 1)
            argument.pointee = depth
            guard let fiber = jr_fiber_create(1 << 20, { fiber, argument in
                let depth = argument!.assumingMemoryBound(to: Int.self).pointee
                _ = atDepth(depth) { _ = jr_fiber_yield(fiber) }
            }, argument) else { throw POSIXError(.ENOMEM) }
            _ = jr_fiber_resume(fiber)
            self.fiber = fiber
        case .parked:
            parked = ParkedThread(depth: depth)
        }
    }

    deinit {
        if let fiber { _ = jr_fiber_destroy(fiber) }
        parked?.release()
    }

    /// The saved context and stack bounds of a stopped stack.
    private var stopped: (context: UnsafeMutablePointer<ucontext_t>, stack: Range<UInt>) {
        if let fiber {
            var low: UInt = 0, high: UInt = 0
            jr_fiber_stack_bounds(fiber, &low, &high)
            return (jr_fiber_saved_context(fiber), low..<high)
        }
        return (parked!.context, parked!.stack)
    }

    /// Runs `body` where the walk must happen: `depth` frames down on the running thread, else right here.
    func withStack(_ body: () -> Void) {
        if stack == .running { _ = atDepth(depth, body) } else { body() }
    }

    /// One walk; returns the frames (or words) it visited. Call inside `withStack`.
    @inline(never)
    func walk(_ method: WalkMethod) -> Int {
        switch (stack, method) {
        case (.running, .unwStep):
            _ = walker.walkCurrentThread(mode: .checked)
            return walker.lastFrameCount
        case (.running, .unwBacktrace):
            _ = walker.walkCurrentThread(mode: .precise)
            return walker.lastFrameCount
        case (.running, .conservative):
            _ = walker.walkCurrentThread(mode: .conservative)
            return walker.found.count
        case (.running, .framePointer):
            var low: UInt = 0, high: UInt = 0
            _ = jr_current_thread_stack_bounds(&low, &high)
            return framePointerChainLength(from: UInt(bitPattern: jr_bench_caller_frame()), stack: low..<high)
        case (_, .unwStep):
            let (context, bounds) = stopped
            _ = walker.walk(context: UnsafeMutableRawPointer(context), stack: bounds)
            return walker.lastFrameCount
        case (_, .conservative):
            let (context, bounds) = stopped
            let stackPointer = UInt(bitPattern: Int(context.pointee.uc_mcontext.gregs.15))  // REG_RSP
            walker.scan(stackPointer..<bounds.upperBound)
            return walker.found.count
        case (_, .framePointer):
            let (context, bounds) = stopped
            let framePointer = UInt(bitPattern: Int(context.pointee.uc_mcontext.gregs.10))  // REG_RBP
            return framePointerChainLength(from: framePointer, stack: bounds)
        case (_, .unwBacktrace):
            return 0  // unw_backtrace walks only the calling thread
        }
    }

    /// Follows rbp links inside `stack`, checking each return address against the region; stops at the first
    /// link that leaves the stack or does not grow (a frame without a frame pointer ends the chain).
    @inline(never)
    private func framePointerChainLength(from start: UInt, stack: Range<UInt>) -> Int {
        var framePointer = start
        var count = 0
        var inRegion = 0
        let regionRange = walker.region
        while framePointer >= stack.lowerBound, framePointer + 16 <= stack.upperBound, framePointer & 7 == 0 {
            let link = UnsafePointer<UInt>(bitPattern: framePointer)!
            let returnAddress = link[1]
            if regionRange.contains(returnAddress) { inRegion &+= 1 }
            count += 1
            guard link[0] > framePointer else { break }
            framePointer = link[0]
        }
        blackHole(inRegion)
        return count
    }
}

/// A thread `depth` frames deep, stopped in `jr_bench_park` until released.
final class ParkedThread {
    let context = UnsafeMutablePointer<ucontext_t>.allocate(capacity: 1)
    private(set) var stack: Range<UInt> = 0..<0
    private let parkedSignal = DispatchSemaphore(value: 0)
    private let releaseSignal = DispatchSemaphore(value: 0)
    private var thread: Thread?

    init(depth: Int) {
        let thread = Thread { [self] in
            var low: UInt = 0, high: UInt = 0
            _ = jr_current_thread_stack_bounds(&low, &high)
            stack = low..<high
            _ = atDepth(depth) {
                _ = jr_bench_park(context, { argument in
                    let parked = Unmanaged<ParkedThread>.fromOpaque(argument!).takeUnretainedValue()
                    parked.parkedSignal.signal()
                    parked.releaseSignal.wait()
                }, Unmanaged.passUnretained(self).toOpaque())
            }
        }
        thread.stackSize = 8 << 20
        self.thread = thread
        thread.start()
        parkedSignal.wait()
    }

    func release() { releaseSignal.signal() }
}

func registerStackWalkBenchmarks(full: Bool) {
    for depth in [50, 1_000] {
        for stack in WalkedStack.allCases {
            for method in WalkMethod.allCases where !(method == .unwBacktrace && stack != .running) {
                var fixture: StackWalkFixture?
                Benchmark(
                    "walk/\(stack.rawValue)/\(method.rawValue)/\(depth)",
                    configuration: .init(metrics: [.throughput, .wallClock, .custom("walk_ns"), .custom("frames", useScalingFactor: false)],
                                         setup: { fixture = try StackWalkFixture(depth: depth, stack: stack) },
                                         teardown: { fixture = nil })
                ) { benchmark in
                    let fixture = fixture!
                    let repeats = 20
                    fixture.withStack {
                        benchmark.startMeasurement()
                        let start = nowNs()
                        var frames = 0
                        for _ in 0..<repeats { frames = fixture.walk(method) }
                        let elapsed = nowNs() - start
                        benchmark.stopMeasurement()
                        benchmark.measurement(.custom("walk_ns"), Int(elapsed) / repeats)
                        benchmark.measurement(.custom("frames", useScalingFactor: false), frames)
                    }
                }
            }
        }
    }
}
