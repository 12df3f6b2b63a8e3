import CodeGC

/// Which diagnostics a runtime turns on (e.g. from `jitstack run --perf-map`).
public struct DiagnosticsOptions: Sendable, Equatable {
    /// Write a perf map at this path (``PerfMap/defaultPath(processID:)`` for perf itself), or nil.
    public var perfMapPath: String?
    /// Register compiled code with GDB.
    public var gdb: Bool
    /// Install the crash reporter (one per process; it names static functions from the executable's `.symtab`).
    public var crashReports: Bool

    /// Everything off unless asked; crash reports on, as the runtime's default.
    public init(perfMapPath: String? = nil, gdb: Bool = false, crashReports: Bool = true) {
        self.perfMapPath = perfMapPath
        self.gdb = gdb
        self.crashReports = crashReports
    }

    /// `--perf-map` as perf wants it: `/tmp/perf-<pid>.map`.
    public static var perfMapForThisProcess: String { PerfMap.defaultPath() }
}

extension JITDiagnostics {
    /// Creates the parts `options` asks for, for code in `space`. Throws if one cannot be set up (e.g. a
    /// crash reporter is already installed in this process: pass `crashReports: false` for a second VM).
    public convenience init(space: any CodePageSpace, options: DiagnosticsOptions) throws(DiagnosticsError) {
        let perfMap = try options.perfMapPath.map { path throws(DiagnosticsError) in try PerfMap(path: path) }
        let gdb = options.gdb
            ? try GDBJITInterface(executableBase: space.executableBase, pageSize: space.pageSize, pageCount: space.pageCount)
            : nil
        var reporter: CrashReporter?
        if options.crashReports {
            reporter = try CrashReporter.install(
                executableBase: space.executableBase, pageSize: space.pageSize, pageCount: space.pageCount)
        }
        self.init(space: space, perfMap: perfMap, gdb: gdb, crashReporter: reporter)
    }
}
