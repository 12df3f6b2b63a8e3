import ArgumentParser

/// The JIT's flags of `jitstack run` (an option group of `RunOptions`).
public struct JITOptions: ParsableArguments {
    @Option(name: .customLong("call-threshold"), help: "Calls before a method is compiled (1: on the first call).")
    public var callThreshold: Int = JITSettings().callThreshold

    @Option(name: .customLong("code-region"), help: "Executable region size (bytes, K or M suffix).",
            transform: JITOptions.parseSize)
    public var codeRegion: Int = JITSettings().codeRegion

    @Option(name: .customLong("page-size"), help: "Code page size (bytes, K or M suffix; a power of two, at least 4K).",
            transform: JITOptions.parseSize)
    public var pageSize: Int = JITSettings().pageSize

    @Flag(name: .customLong("no-code-gc"), help: "Never free machine code (the JIT stops compiling when full).")
    public var noCodeGC = false

    @Flag(name: .customLong("no-code-sharing"),
          help: "Compile every method on its own (by default, small call-free method bodies with the same bytecode share one compiled copy).")
    public var noCodeSharing = false

    @Flag(name: .customLong("stress-gc"), help: "Collect code before every compilation and at every stub hit.")
    public var stressGC = false

    @Flag(name: .customLong("stats"), help: "Print JIT statistics to stderr at exit.")
    public var stats = false

    @Flag(name: .customLong("json"), help: "JSON output: --stats, --dump-stacks-on-gc (one line per dump), and the whole output of stack, pages and demo.")
    public var json = false

    public init() {}

    public func validate() throws {
        if let problem = settings.problem { throw ValidationError(problem) }
    }

    /// `123`, `64K`, `1M` (also lowercase, optional trailing `B`/`iB`).
    static func parseSize(_ text: String) throws -> Int {
        guard let size = JITSettings.size(text) else {
            throw ValidationError("'\(text)' is not a size (a positive number with an optional K, M or G suffix)")
        }
        return size
    }

    /// The values these flags were given.
    public var settings: JITSettings {
        var settings = JITSettings()
        settings.callThreshold = callThreshold
        settings.codeRegion = codeRegion
        settings.pageSize = pageSize
        settings.noCodeGC = noCodeGC
        settings.noCodeSharing = noCodeSharing
        settings.stressGC = stressGC
        settings.stats = stats
        settings.json = json
        return settings
    }
}
