import ArgumentParser
import GuestJIT
import GuestVM

/// The JIT's flags of `jitstack run` (an option group of `RunOptions`).
public struct JITOptions: ParsableArguments {
    @Option(name: .customLong("call-threshold"), help: "Calls before a method is compiled (1: on the first call).")
    public var callThreshold: Int = 2

    @Option(name: .customLong("code-region"), help: "Executable region size (bytes, K or M suffix).",
            transform: JITOptions.parseSize)
    public var codeRegion: Int = 64 << 20

    @Option(name: .customLong("page-size"), help: "Code page size (bytes, K or M suffix; a power of two, at least 4K).",
            transform: JITOptions.parseSize)
    public var pageSize: Int = 16 << 10

    @Flag(name: .customLong("no-code-gc"), help: "Never free machine code (the JIT stops compiling when full).")
    public var noCodeGC = false

    @Flag(name: .customLong("stress-gc"), help: "Collect code before every compilation and at every stub hit.")
    public var stressGC = false

    @Flag(name: .customLong("stats"), help: "Print JIT statistics to stderr at exit.")
    public var stats = false

    @Flag(name: .customLong("json"), help: "JSON output: --stats, --dump-stacks-on-gc (one line per dump), and the whole output of stack, pages and demo.")
    public var json = false

    public init() {}

    public func validate() throws {
        guard callThreshold >= 1 else { throw ValidationError("--call-threshold must be at least 1 (got \(callThreshold))") }
        guard pageSize >= 4096, pageSize & (pageSize - 1) == 0 else {
            throw ValidationError("--page-size must be a power of two of at least 4K (got \(pageSize))")
        }
        guard codeRegion >= 2 * pageSize, codeRegion % pageSize == 0 else {
            throw ValidationError("--code-region must be a multiple of the page size holding at least 2 pages (got \(codeRegion))")
        }
        guard codeRegion <= 1 << 40 else { throw ValidationError("--code-region is larger than 1T") }
    }

    /// `123`, `64K`, `1M` (also lowercase, optional trailing `B`/`iB`).
    static func parseSize(_ text: String) throws -> Int {
        var digits = text.uppercased()
        if digits.hasSuffix("IB") { digits.removeLast(2) } else if digits.hasSuffix("B") { digits.removeLast() }
        var shift = 0
        if digits.hasSuffix("K") { shift = 10 } else if digits.hasSuffix("M") { shift = 20 } else if digits.hasSuffix("G") { shift = 30 }
        if shift > 0 { digits.removeLast() }
        guard let n = Int(digits), n > 0, n <= (1 << 40) >> shift else {
            throw ValidationError("'\(text)' is not a size (a positive number with an optional K, M or G suffix)")
        }
        return n << shift
    }

    /// The JIT configuration these flags describe.
    public var configuration: JITConfiguration {
        JITConfiguration(callThreshold: callThreshold, regionSize: codeRegion, pageSize: pageSize,
                         codeGC: !noCodeGC, stressGC: stressGC)
    }

    /// Installs the JIT (or only the `JIT` module with `--no-jit`). Returns nil and prints why on failure.
    public func install(in vm: VM, enabled: Bool) -> GuestJIT? {
        guard enabled else {
            JITModule.install(in: vm)
            return nil
        }
        do {
            return try GuestJIT(vm: vm, configuration: configuration)
        } catch {
            ProgramRunner.printError("jitstack: \(error.description)\n")
            return nil
        }
    }

    /// Prints the statistics to stderr (`--stats`, `--json`).
    public func report(_ jit: GuestJIT?) {
        guard stats, let jit else { return }
        let list = jit.statistics()
        if json {
            let body = list.map { "\"\($0.name)\": \($0.value)" }.joined(separator: ", ")
            ProgramRunner.printError("{\(body)}\n")
        } else {
            ProgramRunner.printError(list.map { "\($0.name): \($0.value)" }.joined(separator: "\n") + "\n")
        }
    }
}
