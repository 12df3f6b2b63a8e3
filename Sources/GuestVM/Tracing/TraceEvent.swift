/// The TracePoint events the subset fires, as bits of `VM.traceEvents` and of each TracePoint's mask.
public struct TraceEvent: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// A guest (Ruby-defined) method was entered; its frame is the running one.
    public static let call = TraceEvent(rawValue: 1)
    /// A guest method is about to leave (normally, or unwound by an exception or a non-local exit).
    public static let `return` = TraceEvent(rawValue: 2)
    /// A builtin (a C function in Ruby) is about to run.
    public static let cCall = TraceEvent(rawValue: 4)
    /// A builtin returned or raised.
    public static let cReturn = TraceEvent(rawValue: 8)

    public static let all: TraceEvent = [.call, .return, .cCall, .cReturn]
    /// Events Ruby 3.1 implements by instrumenting instruction sequences (see `TraceState.instrumented`).
    static let iseqEvents: TraceEvent = [.call, .return]

    /// The symbol name Ruby uses (`tp.event`).
    public var name: String {
        switch self {
        case .call: return "call"
        case .return: return "return"
        case .cCall: return "c_call"
        case .cReturn: return "c_return"
        default: return "?"
        }
    }

    /// The event named `name`, or nil when the subset does not fire it.
    public init?(name: String) {
        switch name {
        case "call": self = .call
        case "return": self = .return
        case "c_call": self = .cCall
        case "c_return": self = .cReturn
        default: return nil
        }
    }

    /// Events Ruby 3.1 accepts that the subset does not fire (asking for one is an ArgumentError here,
    /// not a silent TracePoint that never fires).
    static let rubyOnlyNames: Set<String> = [
        "line", "class", "end", "raise", "b_call", "b_return", "a_call", "a_return", "thread_begin",
        "thread_end", "fiber_switch", "script_compiled", "rescue",
    ]
}
