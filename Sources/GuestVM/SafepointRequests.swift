import CShims

/// Work posted from outside the interpreter (a signal handler, another thread) and done at the next
/// safepoint (loop back-edge, method entry), where every frame is complete and walkable: e.g. `jitstack
/// stack` dumping every stack on SIGUSR1. Posting is `jr_safepoint_post()` (async-signal-safe).
public enum SafepointRequests {
    /// Called at the safepoint that takes a posted request, on the thread running `ec`.
    public nonisolated(unsafe) static var handler: ((ExecutionContext) -> Void)?

    /// Makes `signal` post a request. Throws nothing; returns false if sigaction failed.
    @discardableResult
    public static func postOnSignal(_ signal: Int32) -> Bool { jr_safepoint_install_signal(signal) == 0 }
}

extension VM {
    /// An interpreter safepoint: runs a posted request's handler, then the usual safepoint (park if the
    /// world is being stopped, object GC if due).
    @inline(never)
    func serviceSafepoint(_ ec: ExecutionContext) {
        if jr_safepoint_take() != 0, let handler = SafepointRequests.handler { handler(ec) }
        safepoint(ec)
    }

    /// Calls `body` for every suspended fiber with its execution context, its saved native context (walkable
    /// until it is resumed) and its native stack bounds: what a stack dump shows for fibers.
    public func forEachSuspendedFiberStack(_ body: (ExecutionContext, UnsafeMutableRawPointer, Range<UInt>) -> Void) {
        for (_, ref) in fibers.live {
            let fiber = ref.takeUnretainedValue()
            guard fiber.state == .suspended, let handle = fiber.handle, jr_fiber_is_suspended(handle) != 0,
                  let context = jr_fiber_saved_context(handle) else { continue }
            var low: UInt = 0, high: UInt = 0
            jr_fiber_stack_bounds(handle, &low, &high)
            body(fiber.context, UnsafeMutableRawPointer(context), low..<high)
        }
    }

    /// Calls `body` for every other thread parked at a safepoint (the world must be stopped by the caller,
    /// see `withWorldStopped`): its execution context (nil if none is found), saved native context and
    /// stack, and whether it is the VM's creating thread, for stack dumps.
    public func forEachParkedThreadStack(_ body: (ExecutionContext?, UnsafeMutableRawPointer, Range<UInt>, Bool) -> Void) {
        guard isMultithreaded else { return }
        for m in safepoints.parked(except: currentMutator) {
            // The main thread's innermost context: a resumed fiber's, else the main one.
            let ec = m.isMain ? runningContext : executionContexts.last { $0.mutator === m }
            body(ec, UnsafeMutableRawPointer(m.context), m.parkedStack, m.isMain)
        }
    }

    /// Whether the calling native thread is the VM's creating thread (the one that runs `main`).
    public var isOnMainThread: Bool { currentMutator.isMain }

    /// The execution context running now on this thread: the innermost resumed fiber's, else the main one.
    public var runningContext: ExecutionContext { fibers.running.last?.context ?? mainContext }

    /// The state (`running`, `suspended`, ...) of the fiber whose execution context is `ec`, or nil when
    /// `ec` belongs to no fiber (the main context, later threads): to label each context in a dump.
    public func fiberState(of ec: ExecutionContext) -> String? {
        for (_, ref) in fibers.live {
            let fiber = ref.takeUnretainedValue()
            if fiber.context === ec { return "\(fiber.state)" }
        }
        return nil
    }
}
