/// The event a TracePoint hook is handling on one execution context (`ExecutionContext.trace`): what
/// `tp.event`, `tp.method_id`, ... answer inside the hook. Per context, as in Ruby, so threads deliver
/// events at the same time without sharing it.
public struct TraceDelivery {
    /// The TracePoint whose hook runs; nil outside hooks (no event fires while it is set).
    var tracePoint: RTracePoint?
    var event: TraceEvent = []
    var methodID = 0
    /// Only read while the hook runs, when no object collection happens (see `runHook`).
    var selfValue: Value = .nil
    /// The value a `return`/`c_return` event returns (undef for call events).
    var returnValue: Value = .undef
    /// Set by `TracePoint#enable` on this context when its own return event must be skipped.
    var skipNextEnableReturn = false

    public init() {}

    /// Whether a hook is running on this context.
    public var isInHook: Bool { tracePoint != nil }
}
