/// The JIT's options (set from `jitstack run` flags).
public struct JITConfiguration: Sendable, Equatable {
    /// Calls before an ISEQ is compiled (1 compiles on the first call).
    public var callThreshold: Int
    /// Bytes of executable address space reserved for code.
    public var regionSize: Int
    /// Bytes per code page (a power of two, at least the OS page).
    public var pageSize: Int
    /// Free dead code (false: `--no-code-gc`, the region just fills up and the JIT stops compiling).
    public var codeGC: Bool
    /// Collect before every compilation and at every stub hit (for tests).
    public var stressGC: Bool
    /// Calls a method whose code the collector evicted must make before it is compiled again; doubled at
    /// each further eviction of the same method (the hysteresis that stops a working set larger than the
    /// region from thrashing). A method that could not be compiled for lack of room tries again after this
    /// many calls too.
    public var evictionBackoff: Int
    /// Compile a call-free method body once for every ISEQ with the same bytecode (`SharedBodies`); false
    /// compiles each ISEQ on its own (as tests of collecting redefined methods' code want).
    public var sharesCode: Bool

    /// Defaults: threshold 2, 64 MiB region, 16 KiB pages, code GC on, eviction backoff 1,024 calls,
    /// shared bodies on.
    public init(callThreshold: Int = 2, regionSize: Int = 64 << 20, pageSize: Int = 16 << 10,
                codeGC: Bool = true, stressGC: Bool = false, evictionBackoff: Int = 1024, sharesCode: Bool = true) {
        self.sharesCode = sharesCode
        self.callThreshold = callThreshold
        self.regionSize = regionSize
        self.pageSize = pageSize
        self.codeGC = codeGC
        self.stressGC = stressGC
        self.evictionBackoff = max(0, evictionBackoff)
    }
}

/// Why the JIT could not start.
public struct JITStartError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String
}
