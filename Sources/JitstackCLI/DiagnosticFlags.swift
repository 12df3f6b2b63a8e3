import ArgumentParser

/// The diagnostics flags every program-running view shares (`run`, `stack`, `pages`).
public struct DiagnosticFlags: ParsableArguments {
    @Flag(name: .customLong("perf-map"), help: ArgumentHelp(
        "Write /tmp/perf-PID.map naming every compiled block, for perf report.",
        discussion: "A block's name is `jit:METHOD pc FIRST...LAST`; its exits are `... exits`. When a code GC frees a page and new code reuses its addresses, the new code gets a new line (perf uses the last one)."))
    public var perfMap = false

    @Flag(name: .customLong("jitdump"), help: ArgumentHelp(
        "Write /tmp/jit-PID.dump (perf's jitdump format: every compiled block with its code).",
        discussion: "Record with `perf record -k mono`, then `perf inject --jit` makes `perf report` name JIT frames (perf 6.1 ignores perf-PID.map for this memfd-backed code region)."))
    public var jitdump = false

    @Flag(name: .customLong("dump-stacks-on-gc"), help: ArgumentHelp(
        "Print every execution context's stacks to stderr at the start of each code GC.",
        discussion: "Same format as `jitstack stack` (JSON lines with --json)."))
    public var dumpStacksOnGC = false

    @Flag(name: .customLong("gdb"), help: "Register compiled code with GDB's JIT interface (gdb's `bt` names JIT frames).")
    public var gdb = false

    @Flag(name: .customLong("no-crash-report"), help: ArgumentHelp(
        "Do not install the crash reporter.",
        discussion: "By default a SIGTRAP, SIGSEGV or SIGILL in JIT code prints the address, its page, when that page was freed and what it held, and the native stack, then aborts."))
    public var noCrashReport = false

    public init() {}

    /// The values these flags were given.
    public var settings: DiagnosticSettings {
        var settings = DiagnosticSettings()
        settings.perfMap = perfMap
        settings.jitdump = jitdump
        settings.dumpStacksOnGC = dumpStacksOnGC
        settings.gdb = gdb
        settings.noCrashReport = noCrashReport
        return settings
    }
}
