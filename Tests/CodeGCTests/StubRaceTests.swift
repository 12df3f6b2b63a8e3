import CShims
import CTestFixtures
import CodeMemory
import Glibc
import Testing
import X86Assembler
@testable import CodeGC

/// The seed's race on real threads: they all hit one stub; the first compiles the target and keeps the
/// lock while it runs the new code, invalidates the block holding the stub's branch and collects once the
/// others are parked inside the stub handler (each having published its saved context, as at a safepoint).
/// The others must then find the branch invalidated, never freed metadata.
final class StubRace: InvalidationCodeFactory, CodeGCRoots, @unchecked Sendable {
    nonisolated(unsafe) static weak var current: StubRace?

    let harness: JITHarness
    let threadCount: Int
    let stubPage: Int
    var source: BlockID!
    var branch: BranchID!
    var stub: StubID!
    var exit: UInt = 0
    var function: (@convention(c) () -> Int)!
    /// The VM lock every stub hit takes.
    let vmLock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// Guards `parked`.
    let registryLock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    var parked: [UInt: (context: UnsafeMutablePointer<ucontext_t>, stack: Range<UInt>)] = [:]
    var hits: [StubHit] = []
    var compiler: pthread_t?
    var report: CollectionReport?
    var stubSurvived = false
    var branchStateDuringRace: BranchState?
    var results: [Int] = []
    /// Threads that reached the stub handler: none takes the lock before all have (so all hit the stub).
    var arrived = 0

    static let handler: @convention(c) (UInt64) -> UInt = { raw in
        StubRace.current!.stubHit(StubID(rawValue: raw))
    }

    static let waitForLock: jr_gc_fixture_callback = { _ in
        StubRace.current!.park()
        return 0
    }

    init(threads: Int) throws {
        threadCount = threads
        harness = try JITHarness()
        pthread_mutex_init(vmLock, nil)
        pthread_mutex_init(registryLock, nil)
        stubPage = try #require(try harness.gc.allocatePage())
        harness.gc.roots = self
        harness.gc.codeFactory = self
        Self.current = self
        exit = try harness.install(.outlined, of: harness.exitPage) { assembler in
            assembler.mov(.rax, Int32(-1))
            assembler.pop(.rbp)
            assembler.ret()
        }.lowerBound
        let page = try #require(try harness.gc.allocatePage())
        let (code, jumpAddress) = try harness.installFrameWithUnlinkedJump(on: page)
        try harness.gc.releasePage(page)
        source = try harness.gc.addBlock(owner: CodeOwnerID(1), ranges: [code])
        branch = try harness.gc.addBranch(from: source, targets: [BranchTargetSpec(jumpAddress: jumpAddress, key: 3)])
        stub = try harness.gc.addStub(for: branch, target: 0) { id in
            try self.harness.install(.outlined, of: self.stubPage) { assembler in
                assembler.movabs(.rdi, id.rawValue)
                assembler.movabs(.rax, UInt64(UInt(bitPattern: unsafeBitCast(Self.handler, to: Int.self))))
                assembler.call(.rax)
                assembler.jmp(.rax)
            }
        }
        try harness.gc.releasePage(stubPage)  // from here on only roots keep the stub's page
        try harness.gc.setEntry(source)
        function = unsafeBitCast(UnsafeRawPointer(bitPattern: code.lowerBound)!, to: (@convention(c) () -> Int).self)
    }

    deinit {
        pthread_mutex_destroy(vmLock)
        pthread_mutex_destroy(registryLock)
        vmLock.deallocate()
        registryLock.deallocate()
    }

    /// Inside `jr_gc_fixture_park`, whose frame (and saved context) stays live until this returns.
    func park() {
        let me = UInt(bitPattern: Int(bitPattern: pthread_self()))
        var low: UInt = 0
        var high: UInt = 0
        _ = jr_current_thread_stack_bounds(&low, &high)
        pthread_mutex_lock(registryLock)
        parked[me]!.stack = low..<high
        pthread_mutex_unlock(registryLock)
        pthread_mutex_lock(vmLock)
        pthread_mutex_lock(registryLock)
        parked[me] = nil
        pthread_mutex_unlock(registryLock)
    }

    func arrivedCount() -> Int {
        pthread_mutex_lock(registryLock)
        defer { pthread_mutex_unlock(registryLock) }
        return arrived
    }

    func parkedCount() -> Int {
        pthread_mutex_lock(registryLock)
        defer { pthread_mutex_unlock(registryLock) }
        return parked.values.filter { !$0.stack.isEmpty }.count
    }

    /// The stub handler: park for the VM lock (publishing a context), then decide.
    func stubHit(_ id: StubID) -> UInt {
        let me = UInt(bitPattern: Int(bitPattern: pthread_self()))
        let context = UnsafeMutablePointer<ucontext_t>.allocate(capacity: 1)
        defer { context.deallocate() }
        pthread_mutex_lock(registryLock)
        parked[me] = (context, 0..<0)  // published (with its stack) only once getcontext has filled it
        arrived += 1
        pthread_mutex_unlock(registryLock)
        while arrivedCount() < threadCount { sched_yield() }
        _ = jr_gc_fixture_park(context, Self.waitForLock, nil)
        // Holding the VM lock.
        let hit = harness.gc.stubHit(id)
        hits.append(hit)
        switch hit {
        case .compile(let request):
            guard let page = try? harness.gc.allocatePage(),
                  let code = try? harness.install(.inline, of: page, { assembler in
                      assembler.mov(.rax, Int32(77))
                      assembler.pop(.rbp)
                      assembler.ret()
                  }),
                  let block = try? harness.gc.addBlock(owner: request.owner, key: request.key, ranges: [code]),
                  (try? harness.gc.linkBranch(request.branch, target: request.targetIndex, to: block)) != nil
            else { return 0 }
            try? harness.gc.releasePage(page)
            compiler = pthread_self()
            return code.lowerBound  // still holding the VM lock: the others keep waiting in the handler
        case .resolved(let block):
            pthread_mutex_unlock(vmLock)
            return harness.gc.entryAddress(of: block) ?? 0
        case .branchInvalidated:
            pthread_mutex_unlock(vmLock)
            return exit
        case .stale:
            pthread_mutex_unlock(vmLock)
            return 0
        }
    }

    /// What each thread runs: the JIT function, then (the compiler only) invalidation and a collection.
    func run() {
        let result = function()
        if let compiler, pthread_equal(compiler, pthread_self()) != 0 {
            // Ran the new code; now invalidate the block holding the stub's branch, and collect at the
            // safepoint once every other thread is parked in the stub handler.
            try? harness.gc.invalidate(source)
            while parkedCount() < threadCount - 1 { sched_yield() }
            report = try? harness.gc.collect()
            stubSurvived = harness.gc.contains(stub)
            branchStateDuringRace = harness.gc.info(branch)?.state
            pthread_mutex_unlock(vmLock)
        }
        pthread_mutex_lock(registryLock)
        results.append(result)
        pthread_mutex_unlock(registryLock)
    }

    func makeStub(_ stub: StubID, for request: StubRequest) -> Range<UInt>? { nil }
    func makeReturnExit(for block: BlockID, owner: CodeOwnerID, at point: ReturnPoint) -> Range<UInt>? { nil }

    func addRoots(to roots: inout CodeGCRootSet) {
        pthread_mutex_lock(registryLock)
        for (context, stack) in parked.values where !stack.isEmpty { roots.addSavedContext(UnsafeMutableRawPointer(context), stack: stack) }
        pthread_mutex_unlock(registryLock)
    }

    func codeGC(_ collector: CodeGC, didRemoveEntry block: BlockID, of owner: CodeOwnerID) {}
}

@Suite("Threads racing on one stub", .serialized)
struct StubRaceTests {
    static let threadMain: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { argument in
        Unmanaged<StubRace>.fromOpaque(argument!).takeUnretainedValue().run()
        return nil
    }

    @Test func waitingThreadsFindTheBranchInvalidatedAfterTheWinnerCollected() throws {
        let threads = 4
        let race = try StubRace(threads: threads)
        var ids: [pthread_t] = []
        for _ in 0..<threads {
            var id = pthread_t()
            #expect(pthread_create(&id, nil, Self.threadMain, Unmanaged.passUnretained(race).toOpaque()) == 0)
            ids.append(id)
        }
        for id in ids { pthread_join(id, nil) }

        let report = try #require(race.report)
        #expect(report.preciseStacks == threads && report.conservativeStacks == 0)  // collector + 3 parked
        #expect(race.stubSurvived)                           // pinned by the parked threads' stacks
        #expect(race.branchStateDuringRace == .orphaned)     // its source freed, kept for the stub
        #expect(race.hits.filter { if case .compile = $0 { return true } else { return false } }.count == 1)
        #expect(race.hits.filter { $0 == .branchInvalidated(key: 3) }.count == threads - 1)
        #expect(race.results.sorted() == [-1, -1, -1, 77])

        // Everyone left the stub: its page, the stub and the branch go together.
        try race.harness.gc.collect()
        #expect(!race.harness.gc.contains(race.stub) && !race.harness.gc.contains(race.branch))
    }
}
