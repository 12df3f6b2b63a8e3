import CShims
import CTestFixtures
import CodeMemory
import Glibc
import Testing
import X86Assembler
@testable import CodeGC

/// The stub race as a stress test: `workers` threads call one JIT function in a loop without any lock;
/// its source block jumps through a stub whose handler compiles the target (`return 77`) under the VM lock.
/// A mutator thread runs `rounds` rounds; each stops the world, invalidates the target (even rounds: the
/// branch gets a fresh stub) or the source (odd rounds: its entry goes; a new source with a new stub
/// replaces it), and collects.
///
/// Threads stop in one of two ways, as at a VM's safepoints: at their poll between calls (no JIT frame on
/// the stack), or inside the stub handler waiting for the VM lock, with their context published (walked
/// precisely as a root). Every other round the mutator keeps the VM lock while restarting the world, so
/// every worker runs into a stub and waits in its handler: then the source is invalidated and collected
/// with all of them parked on stub frames of the invalidated branch, the seed's race.
///
/// A stub hit that finds freed metadata is counted as stale; a return into freed code hits INT3 and kills
/// the process; ASan and TSan (`scripts/sanitize`) watch the rest.
final class StubHammer: InvalidationCodeFactory, CodeGCRoots, @unchecked Sendable {
    nonisolated(unsafe) static weak var current: StubHammer?

    let workers: Int
    let harness: JITHarness
    var gc: CodeGC { harness.gc }

    /// Serializes every CodeGC and code-writing call (the VM lock).
    let vmLock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// Guards everything below it; `changed` is signalled on every change.
    let stateLock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    var stopRequested = false
    var done = false
    var parkedAtPoll = 0
    var finished = 0
    /// Workers waiting in the stub handler: their saved context, stack and the stub they are in.
    var inHandler: [UInt: (context: UnsafeMutablePointer<ucontext_t>, stack: Range<UInt>, stub: StubID)] = [:]
    /// The function workers call (changes when the source is replaced).
    var function: (@convention(c) () -> Int)!

    // Under the VM lock.
    var source: BlockID!
    var target: BlockID?
    var codePage = -1
    var stubPage = -1
    var exit: UInt = 0

    // Results (under `stateLock`).
    var targetResults = 0
    var exitResults = 0
    var wrongResults: [Int] = []
    var staleHits = 0
    var compilations = 0
    var stubsLostWhileParked = 0
    var handlerWaitersAtCollections = 0
    var collections = 0
    var conservativeStacks = 0
    var collectErrors: [String] = []

    static let handler: @convention(c) (UInt64) -> UInt = { raw in
        StubHammer.current!.stubHit(StubID(rawValue: raw))
    }

    static let waitForVMLock: jr_gc_fixture_callback = { context in
        let hit = context!.assumingMemoryBound(to: (UnsafeMutablePointer<ucontext_t>, UInt64).self).pointee
        StubHammer.current!.parkInHandler(context: hit.0, stub: StubID(rawValue: hit.1))
        return 0
    }

    init(workers: Int) throws {
        self.workers = workers
        harness = try JITHarness(pageCount: 256)
        // Only the mutator collects, with the world stopped: no collection from an allocation.
        harness.gc.configuration.policy = CollectionPolicy(collects: false, occupancyThreshold: nil, evicts: false)
        pthread_mutex_init(vmLock, nil)
        pthread_mutex_init(stateLock, nil)
        pthread_cond_init(changed, nil)
        harness.gc.roots = self
        harness.gc.codeFactory = self
        Self.current = self
        exit = try harness.install(.outlined, of: harness.exitPage) { assembler in
            assembler.mov(.rax, Int32(-1))
            assembler.pop(.rbp)
            assembler.ret()
        }.lowerBound
        try compileSource()
    }

    deinit {
        pthread_mutex_destroy(vmLock)
        pthread_mutex_destroy(stateLock)
        pthread_cond_destroy(changed)
        vmLock.deallocate()
        stateLock.deallocate()
        changed.deallocate()
    }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(stateLock)
        defer {
            pthread_cond_broadcast(changed)
            pthread_mutex_unlock(stateLock)
        }
        return try body()
    }

    // MARK: Code (under the VM lock)

    /// A page with room in `half`: the current one, or a fresh one (the old one's hold is dropped, so it
    /// goes once nothing on it is reachable).
    func page(_ current: Int, room half: PageHalf) throws -> Int {
        guard harness.region.remaining(half, of: PageIndex(current)) < 64 else { return current }
        try gc.releasePage(current)
        return try #require(try gc.allocatePage())
    }

    func installStub(_ id: StubID) throws -> Range<UInt> {
        stubPage = try page(stubPage, room: .outlined)
        return try harness.install(.outlined, of: stubPage) { assembler in
            assembler.movabs(.rdi, id.rawValue)
            assembler.movabs(.rax, UInt64(UInt(bitPattern: unsafeBitCast(Self.handler, to: Int.self))))
            assembler.call(.rax)
            assembler.jmp(.rax)
        }
    }

    /// `push rbp; mov rbp, rsp; jmp <stub>` as a new entry on fresh pages (so replaced sources and their
    /// stubs leave pages behind for the collector), and publishes it.
    func compileSource() throws {
        for page in [codePage, stubPage] where page >= 0 { try gc.releasePage(page) }
        codePage = try #require(try gc.allocatePage())
        stubPage = try #require(try gc.allocatePage())
        let (code, jumpAddress) = try harness.installFrameWithUnlinkedJump(on: codePage)
        source = try gc.addBlock(owner: CodeOwnerID(1), ranges: [code])
        let branch = try gc.addBranch(from: source, targets: [BranchTargetSpec(jumpAddress: jumpAddress, key: 5)])
        try gc.addStub(for: branch, target: 0) { id in try self.installStub(id) }
        try gc.setEntry(source)
        target = nil
        let entry = unsafeBitCast(UnsafeRawPointer(bitPattern: code.lowerBound)!, to: (@convention(c) () -> Int).self)
        locked { function = entry }
    }

    func compileTarget(_ request: StubRequest) throws -> UInt {
        codePage = try page(codePage, room: .inline)
        let code = try harness.install(.inline, of: codePage) { assembler in
            assembler.mov(.rax, Int32(77))
            assembler.pop(.rbp)
            assembler.ret()
        }
        let block = try gc.addBlock(owner: request.owner, key: request.key, ranges: [code])
        try gc.linkBranch(request.branch, target: request.targetIndex, to: block)
        target = block
        return code.lowerBound
    }

    // MARK: Workers

    /// Inside `jr_gc_fixture_park`, whose frame (and saved context) stays live until this returns.
    func parkInHandler(context: UnsafeMutablePointer<ucontext_t>, stub: StubID) {
        let me = UInt(bitPattern: Int(bitPattern: pthread_self()))
        var low: UInt = 0
        var high: UInt = 0
        _ = jr_current_thread_stack_bounds(&low, &high)
        locked { inHandler[me] = (context, low..<high, stub) }
        pthread_mutex_lock(vmLock)
        locked { inHandler[me] = nil }
    }

    /// The stub handler: wait for the VM lock with a published context, then decide.
    func stubHit(_ id: StubID) -> UInt {
        let context = UnsafeMutablePointer<ucontext_t>.allocate(capacity: 1)
        defer { context.deallocate() }
        var hit = (context, id.rawValue)
        _ = withUnsafeMutablePointer(to: &hit) { jr_gc_fixture_park(context, Self.waitForVMLock, UnsafeMutableRawPointer($0)) }
        defer { pthread_mutex_unlock(vmLock) }
        switch gc.stubHit(id) {
        case .compile(let request):
            guard let address = try? compileTarget(request) else {
                locked { collectErrors.append("compiling the target failed") }
                return exit
            }
            locked { compilations += 1 }
            return address
        case .resolved(let block):
            return gc.entryAddress(of: block) ?? exit
        case .branchInvalidated:
            return exit
        case .stale:
            locked { staleHits += 1 }
            return exit
        }
    }

    /// A worker: poll, call, count, until done.
    func work() {
        var results: [Int: Int] = [:]
        while true {
            pthread_mutex_lock(stateLock)
            while stopRequested && !done {
                parkedAtPoll += 1
                pthread_cond_broadcast(changed)
                pthread_cond_wait(changed, stateLock)
                parkedAtPoll -= 1
            }
            let stop = done
            let call = function!
            pthread_mutex_unlock(stateLock)
            if stop { break }
            results[call(), default: 0] += 1
        }
        locked {
            for (result, count) in results {
                switch result {
                case 77: targetResults += count
                case -1: exitResults += count
                default: wrongResults.append(result)
                }
            }
            finished += 1
        }
    }

    // MARK: Mutator

    /// Waits (holding `stateLock`) until `condition` holds.
    func wait(until condition: () -> Bool) {
        pthread_mutex_lock(stateLock)
        while !condition() { pthread_cond_wait(changed, stateLock) }
        pthread_mutex_unlock(stateLock)
    }

    func mutate(rounds: Int) {
        for round in 0..<rounds {
            let forceWaiters = round % 2 == 1
            if forceWaiters {
                // The previous round restarted the world with the target invalidated and the VM lock held:
                // every worker runs into the fresh stub and waits in its handler.
                wait { inHandler.count + finished == workers }
            } else {
                locked { stopRequested = true }
                pthread_mutex_lock(vmLock)
                wait { parkedAtPoll + inHandler.count + finished == workers }
            }
            let waiters = locked { Array(inHandler.values) }
            do {
                if forceWaiters {
                    try gc.invalidate(source)
                    try compileSource()
                } else if let target {
                    try gc.invalidate(target)
                    self.target = nil
                }
                let report = try gc.collect()
                let lost = waiters.filter { !gc.contains($0.stub) }.count
                locked {
                    collections += 1
                    handlerWaitersAtCollections += waiters.count
                    stubsLostWhileParked += lost
                    conservativeStacks += report.conservativeStacks
                }
            } catch {
                locked { collectErrors.append("\(error)") }
            }
            locked { stopRequested = false }
            // Restart; keep the VM lock across the restart when the next round wants every worker waiting.
            if round % 2 == 1 || round + 1 == rounds { pthread_mutex_unlock(vmLock) }
        }
        locked { done = true }
    }

    // MARK: InvalidationCodeFactory, CodeGCRoots

    func makeStub(_ stub: StubID, for request: StubRequest) -> Range<UInt>? { try? installStub(stub) }
    func makeReturnExit(for block: BlockID, owner: CodeOwnerID, at point: ReturnPoint) -> Range<UInt>? { nil }

    func addRoots(to roots: inout CodeGCRootSet) {
        locked {
            for waiter in inHandler.values { roots.addSavedContext(UnsafeMutableRawPointer(waiter.context), stack: waiter.stack) }
        }
    }

    func codeGC(_ collector: CodeGC, didRemoveEntry block: BlockID, of owner: CodeOwnerID) {}
}

@Suite("Threads hammering one stub while another invalidates and collects", .serialized)
struct StubHammerTests {
    static let workerMain: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { argument in
        Unmanaged<StubHammer>.fromOpaque(argument!).takeUnretainedValue().work()
        return nil
    }

    static let mutatorMain: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { argument in
        Unmanaged<StubHammer>.fromOpaque(argument!).takeUnretainedValue().mutate(rounds: 120)
        return nil
    }

    @Test func parkedStubWaitersNeverSeeFreedMetadataOrCodeAcrossManyInvalidationsAndCollections() throws {
        let workers = 4
        let hammer = try StubHammer(workers: workers)
        var threads: [pthread_t] = []
        for _ in 0..<workers {
            var thread = pthread_t()
            #expect(pthread_create(&thread, nil, Self.workerMain, Unmanaged.passUnretained(hammer).toOpaque()) == 0)
            threads.append(thread)
        }
        var mutator = pthread_t()
        // The mutator's stack is walked precisely by `collect` (the collecting thread's own stack).
        #expect(pthread_create(&mutator, nil, Self.mutatorMain, Unmanaged.passUnretained(hammer).toOpaque()) == 0)
        pthread_join(mutator, nil)
        for thread in threads { pthread_join(thread, nil) }

        #expect(hammer.collectErrors.isEmpty, "\(hammer.collectErrors)")
        #expect(hammer.collections == 120)
        #expect(hammer.staleHits == 0)                       // every waiter's stub and branch survived
        #expect(hammer.stubsLostWhileParked == 0)
        #expect(hammer.wrongResults.isEmpty)
        #expect(hammer.conservativeStacks == 0)
        #expect(hammer.handlerWaitersAtCollections >= 60 * workers)  // the race ran: all parked in the handler
        #expect(hammer.targetResults > 0 && hammer.exitResults > 0)
        #expect(hammer.compilations > 0)
        #expect(hammer.gc.stats.freedPageCount >= 60)        // replaced sources' pages really went

        // Nobody runs any more: only the held pages stay (exits, current source and target, current stubs).
        try hammer.gc.collect()
        #expect(hammer.gc.stats.livePageCount == 3)
    }
}
