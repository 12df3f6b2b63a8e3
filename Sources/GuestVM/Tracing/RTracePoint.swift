/// A guest TracePoint: the events it listens to, its hook block, whether it is enabled, and the event
/// being delivered while its hook runs (what `tp.event`, `tp.method_id`, ... answer).
public final class RTracePoint: HeapObject {
    public let events: TraceEvent
    let hook: TraceHookBlock
    public internal(set) var isEnabled = false
    /// Set once enabled: an enabled TracePoint stays alive even when the program drops it.
    var isPinned = false

    /// The event being delivered; empty outside the hook (accessors raise "access from outside").
    var currentEvent: TraceEvent = []
    var currentMethodID = 0
    var currentSelf: Value = .nil
    /// The value a `return`/`c_return` event returns (undef for call events).
    var currentReturnValue: Value = .undef

    init(klass: RClass, events: TraceEvent, hook: TraceHookBlock) {
        self.events = events
        self.hook = hook
        super.init(klass: klass)
    }

    public override func forEachReference(_ body: (Value) -> Void) {
        super.forEachReference(body)
        hook.forEachReference(body)
        body(currentSelf)
        body(currentReturnValue)
    }
}
