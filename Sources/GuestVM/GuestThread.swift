import CShims
import Glibc

/// A guest Thread: a block run in parallel on its own native thread with its own `ExecutionContext`
/// (value and frame stacks) and its own `Mutator` (safepoint state, saved context).
///
/// The body is a detached copy of the block (`BlockEnvironmentCopy`: outer locals are shared by value;
/// share state through objects, globals or constants). It ends with a value (`value`) or an exception,
/// which is reported on stderr as Ruby does (report_on_exception) and re-raised by `join`/`value`.
public final class RThread: HeapObject {
    /// Bytes of native stack per thread.
    static let nativeStackSize = 8 << 20

    let context: ExecutionContext?
    let mutator: Mutator
    let body: BlockEnvironmentCopy?
    /// `Thread.new`'s arguments, handed to the block.
    var arguments: [Value]
    /// The block's value, or the exception it ended with (`undef` while none).
    var result: Value = .nil
    var failure: Value = .undef
    /// Guarded by `done`: set once the body has finished and the thread left the VM.
    private var finished = false
    private let done: UnsafeMutablePointer<pthread_mutex_t>
    private let finishedCondition: UnsafeMutablePointer<pthread_cond_t>
    /// Where `Thread.new` was called (for the report of an uncaught exception).
    let origin: String

    init(klass: RClass, context: ExecutionContext?, mutator: Mutator, body: BlockEnvironmentCopy?, arguments: [Value],
         origin: String) {
        self.context = context
        self.mutator = mutator
        self.body = body
        self.arguments = arguments
        self.origin = origin
        done = .allocate(capacity: 1)
        pthread_mutex_init(done, nil)
        finishedCondition = .allocate(capacity: 1)
        pthread_cond_init(finishedCondition, nil)
        super.init(klass: klass)
    }

    deinit {
        body?.blockFrame.deallocate()
        pthread_cond_destroy(finishedCondition)
        pthread_mutex_destroy(done)
        finishedCondition.deallocate()
        done.deallocate()
    }

    public var isFinished: Bool {
        pthread_mutex_lock(done)
        defer { pthread_mutex_unlock(done) }
        return finished
    }

    func markFinished() {
        pthread_mutex_lock(done)
        finished = true
        pthread_cond_broadcast(finishedCondition)
        pthread_mutex_unlock(done)
    }

    /// Blocks until the body has finished (the caller is parked meanwhile).
    func waitUntilFinished() {
        pthread_mutex_lock(done)
        while !finished { pthread_cond_wait(finishedCondition, done) }
        pthread_mutex_unlock(done)
    }

    public override func forEachReference(_ body: (Value) -> Void) {
        super.forEachReference(body)
        if let b = self.body {
            body(b.blockFrame.pointee.selfValue)
            if let context {
                var slot = context.stackBase
                while slot < b.envEnd { body(slot.pointee); slot += 1 }
            }
        }
        for v in arguments { body(v) }
        body(result)
        body(failure)
    }
}

/// The VM's guest threads that have not finished (roots of the object collector), and the object
/// `Thread.current` returns on the VM's creating thread.
struct ThreadRegistry {
    var running: [ObjectIdentifier: RThread] = [:]
    var main: RThread?
}

extension VM {
    var threadErrorClass: RClass { defineClass("ThreadError", superclass: standardErrorClass) }

    /// `Thread.new(*args) { |*args| ... }` from the cfunc running on `ec`: starts the block on a new native thread.
    func newThread(_ threadClass: RClass, _ args: [Value], ec: ExecutionContext) throws(GuestError) -> Value {
        guard let bf = blockOfCurrentFrame(ec) else {
            throw error(threadErrorClass, "must be called with a block", ec: ec)
        }
        becomeMultithreaded()
        let tec = makeExecutionContext(stackCapacity: 1 << 20, frameCapacity: 50_000)
        let mutator = Mutator(isMain: false)
        tec.mutator = mutator
        let copy = copyBlock(bf, into: tec)
        // Ruby names a thread by where it was created: "file:line".
        let caller = backtrace(of: ec).first { !$0.hasSuffix("in `new'") } ?? backtrace(of: ec).first ?? "-"
        let origin = caller.split(separator: ":", maxSplits: 2).prefix(2).joined(separator: ":")
        let thread = RThread(klass: threadClass, context: tec, mutator: mutator, body: copy, arguments: args, origin: origin)
        let value = heap.track(thread)
        withVMLock { threads.running[ObjectIdentifier(thread)] = thread }
        // The native thread owns one reference to the thread object and one to the VM until it is done.
        let start = Unmanaged.passRetained(ThreadStart(vm: self, thread: thread)).toOpaque()
        var handle = pthread_t()
        if jr_thread_create(&handle, RThread.nativeStackSize, { argument in
            let start = Unmanaged<ThreadStart>.fromOpaque(argument!).takeRetainedValue()
            start.vm.runThread(start.thread)
            return nil
        }, start) != 0 {
            let code = errno
            Unmanaged<ThreadStart>.fromOpaque(start).release()
            withVMLock { threads.running[ObjectIdentifier(thread)] = nil }
            removeExecutionContext(tec)
            thread.markFinished()
            throw error(threadErrorClass, "can't create Thread: \(String(cString: strerror(code)))", ec: ec)
        }
        pthread_detach(handle)
        return value
    }

    /// The body of a guest thread, on its own native thread.
    func runThread(_ thread: RThread) {
        let m = thread.mutator
        jr_tls_set(Int32(JR_TLS_MUTATOR), Unmanaged.passUnretained(m).toOpaque())
        defer { jr_tls_set(Int32(JR_TLS_MUTATOR), nil) }
        safepoints.register(m)
        let ec = thread.context!
        let body = thread.body!
        ec.nativeStackLimit = NativeStack.limitForCurrentThread()
        let args = thread.arguments
        let base = body.envEnd
        base.pointee = .nil
        for (i, a) in args.enumerated() { base[1 + i] = a }
        var outcome: Result<Value, GuestError>
        if let failure = pushBlockFrame(ec, sp: base + 1 + args.count, argc: args.count, blockFrame: body.blockFrame, finish: true) {
            outcome = .failure(GuestError(failure))
        } else {
            do { outcome = .success(try execute(ec)) } catch { outcome = .failure(error) }
        }
        switch outcome {
        case .success(let v):
            thread.result = v
        case .failure(let e):
            thread.failure = e.value
            if !isSilentThreadExit(e.value) {
                let address = String(UInt(bitPattern: Unmanaged.passUnretained(thread).toOpaque()), radix: 16)
                writeError("#<Thread:0x\(String(repeating: "0", count: max(0, 16 - address.count)))\(address) \(thread.origin) run> "
                           + "terminated with exception (report_on_exception is true):\n" + uncaughtReport(e.value))
            }
        }
        withVMLock { threads.running[ObjectIdentifier(thread)] = nil }
        removeExecutionContext(ec)
        safepoints.unregister(m)
        thread.markFinished()
    }

    /// A `break`/`return` escaping a thread's block is not reported (Ruby raises LocalJumpError in
    /// `join` without a report; the subset keeps that quiet too), nor is `exit` (it ends only the thread).
    private func isSilentThreadExit(_ thrown: Value) -> Bool {
        (thrown.isHeapObject && thrown.object.klass === throwClass) || exitStatus(of: thrown) != nil
    }

    /// `thread.join`: waits (parked) until the thread has finished; re-raises its exception.
    func joinThread(_ thread: RThread, ec: ExecutionContext) throws(GuestError) {
        if thread.mutator === currentMutator && !thread.isFinished {
            throw error(threadErrorClass, "Target thread must not be current thread", ec: ec)
        }
        if !thread.isFinished { blocking(ec) { thread.waitUntilFinished() } }
        let failure = thread.failure
        if failure != .undef {
            if failure.isHeapObject && failure.object.klass === throwClass {
                throw error(localJumpErrorClass, "unexpected break or return from a thread's block", ec: ec)
            }
            throw GuestError(failure)
        }
    }

    /// `Thread.current`: the running guest thread, or the main thread's object.
    func currentThread(_ threadClass: RClass, ec: ExecutionContext) -> Value {
        let m = currentMutator
        if !m.isMain {
            let found = withVMLock { threads.running.values.first { $0.mutator === m } }
            if let found { return .object(found) }
        }
        return withVMLock {
            if let main = threads.main { return .object(main) }
            let main = RThread(klass: threadClass, context: nil, mutator: mainMutator, body: nil, arguments: [], origin: "main")
            threads.main = main
            let v = heap.track(main)
            heap.pin(v)
            return v
        }
    }

    /// `Thread.pass`: lets other threads run (parked for the duration of one `sched_yield`).
    func passThread(ec: ExecutionContext) {
        blocking(ec) { _ = sched_yield() }
    }

    /// At the end of the main program: every other guest thread is stopped at its next safepoint and never
    /// resumed (Ruby kills them). The VM lock stays with the calling thread.
    public func stopOtherThreads() {
        guard isMultithreaded else { return }
        let m = currentMutator
        vmLock.lock(m, safepoints: safepoints)
        safepoints.stopTheWorld(m)
    }

    /// Guest threads started and not finished.
    public var runningThreadCount: Int { withVMLock { threads.running.count } }
}

/// What a new native thread starts with (retained across `pthread_create`).
private final class ThreadStart {
    let vm: VM
    let thread: RThread
    init(vm: VM, thread: RThread) {
        self.vm = vm
        self.thread = thread
    }
}
