/// A guest TracePoint: the events it listens to, its hook block and whether it is enabled (the event a
/// hook handles is per execution context, see `TraceDelivery`).
public final class RTracePoint: HeapObject {
    public let events: TraceEvent
    let hook: TraceHookBlock
    public internal(set) var isEnabled = false
    /// Set once enabled: an enabled TracePoint stays alive even when the program drops it.
    var isPinned = false

    init(klass: RClass, events: TraceEvent, hook: TraceHookBlock) {
        self.events = events
        self.hook = hook
        super.init(klass: klass)
    }

    public override func forEachReference(_ body: (Value) -> Void) {
        super.forEachReference(body)
        hook.forEachReference(body)
    }
}
