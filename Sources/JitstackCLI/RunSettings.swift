import GuestJIT
import GuestVM

/// What a program-running view (`run`, `stack`, `pages`, `demo`) was asked for, as plain values:
/// ArgumentParser's ``RunOptions`` or ``QuickRunParser`` produce it, ``ProgramSession`` reads it.
public struct RunSettings: Equatable, Sendable {
    /// Interpret only (`--no-jit`).
    public var noJIT = false
    public var jit = JITSettings()
    public var diagnostics = DiagnosticSettings()

    public init() {}
}

/// The JIT's settings (`--call-threshold`, `--code-region`, `--page-size`, `--no-code-gc`,
/// `--no-code-sharing`, `--stress-gc`, `--stats`, `--json`); the defaults are the flags' defaults.
public struct JITSettings: Equatable, Sendable {
    public var callThreshold = 2
    public var codeRegion = 64 << 20
    public var pageSize = 16 << 10
    public var noCodeGC = false
    public var noCodeSharing = false
    public var stressGC = false
    public var stats = false
    public var json = false

    public init() {}

    /// Why these settings cannot run (the message `jitstack` prints), or nil.
    public var problem: String? {
        guard callThreshold >= 1 else { return "--call-threshold must be at least 1 (got \(callThreshold))" }
        guard pageSize >= 4096, pageSize & (pageSize - 1) == 0 else {
            return "--page-size must be a power of two of at least 4K (got \(pageSize))"
        }
        guard codeRegion >= 2 * pageSize, codeRegion % pageSize == 0 else {
            return "--code-region must be a multiple of the page size holding at least 2 pages (got \(codeRegion))"
        }
        guard codeRegion <= 1 << 40 else { return "--code-region is larger than 1T" }
        return nil
    }

    /// The JIT configuration these settings describe.
    public var configuration: JITConfiguration {
        JITConfiguration(callThreshold: callThreshold, regionSize: codeRegion, pageSize: pageSize,
                         codeGC: !noCodeGC, stressGC: stressGC, sharesCode: !noCodeSharing)
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

    /// `123`, `64K`, `1M` (also lowercase, optional trailing `B`/`iB`), or nil.
    static func size(_ text: String) -> Int? {
        var digits = text.uppercased()
        if digits.hasSuffix("IB") { digits.removeLast(2) } else if digits.hasSuffix("B") { digits.removeLast() }
        var shift = 0
        if digits.hasSuffix("K") { shift = 10 } else if digits.hasSuffix("M") { shift = 20 } else if digits.hasSuffix("G") { shift = 30 }
        if shift > 0 { digits.removeLast() }
        guard let n = Int(digits), n > 0, n <= (1 << 40) >> shift else { return nil }
        return n << shift
    }
}

/// Which diagnostics to turn on (`--perf-map`, `--jitdump`, `--dump-stacks-on-gc`, `--gdb`,
/// `--no-crash-report`); all off by default.
public struct DiagnosticSettings: Equatable, Sendable {
    public var perfMap = false
    public var jitdump = false
    public var dumpStacksOnGC = false
    public var gdb = false
    public var noCrashReport = false

    public init() {}
}
