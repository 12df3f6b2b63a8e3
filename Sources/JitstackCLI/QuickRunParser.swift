/// Parses the common `jitstack run [FLAGS] FILE` / `jitstack run [FLAGS] -e CODE` without ArgumentParser:
/// its reflection over the commands' properties costs milliseconds of start-up, more than a small
/// program's whole run.
///
/// It only takes what it fully understands (each `run` flag at most once, well-formed values that pass
/// the same checks) and yields the same ``RunSettings`` ArgumentParser's `RunCommand` would; anything else
/// (help, an unknown or repeated flag, a bad value, other commands) returns nil, and ArgumentParser parses
/// as before, so its messages and exit statuses stay the only ones.
public enum QuickRunParser {
    /// A `run` to do: the program (`-e CODE` or FILE) and its settings.
    public struct Run: Equatable {
        public var code: String?
        public var file: String?
        public var settings = RunSettings()

        /// Runs the program; returns its exit status.
        public func run() -> Int32 { ProgramRunner.run(source: code, file: file, settings: settings) }
    }

    /// The `run` that `arguments` (without the executable name) ask for, or nil to let ArgumentParser
    /// parse them.
    public static func parse(_ arguments: [String]) -> Run? {
        guard arguments.first == "run" else { return nil }
        var run = Run()
        var seen = Set<String>()
        var index = 1
        while index < arguments.count {
            var argument = arguments[index]
            index += 1
            var attached: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                attached = String(argument[argument.index(after: equals)...])
                argument = String(argument[..<equals])
            }
            if argument.hasPrefix("-") {
                guard seen.insert(argument).inserted else { return nil }
            }
            /// The flag's value: attached (`--x=v`) or the next argument, which must not look like a flag.
            func value() -> String? {
                if let attached { return attached }
                guard index < arguments.count, !arguments[index].hasPrefix("-") else { return nil }
                index += 1
                return arguments[index - 1]
            }
            switch argument {
            case "-e":
                guard attached == nil, let code = value() else { return nil }
                run.code = code
            case "--call-threshold":
                guard let text = value(), let number = Int(text) else { return nil }
                run.settings.jit.callThreshold = number
            case "--code-region":
                guard let text = value(), let size = JITSettings.size(text) else { return nil }
                run.settings.jit.codeRegion = size
            case "--page-size":
                guard let text = value(), let size = JITSettings.size(text) else { return nil }
                run.settings.jit.pageSize = size
            default:
                guard attached == nil else { return nil }
                switch argument {
                case "--no-jit": run.settings.noJIT = true
                case "--no-code-gc": run.settings.jit.noCodeGC = true
                case "--no-code-sharing": run.settings.jit.noCodeSharing = true
                case "--stress-gc": run.settings.jit.stressGC = true
                case "--stats": run.settings.jit.stats = true
                case "--json": run.settings.jit.json = true
                case "--perf-map": run.settings.diagnostics.perfMap = true
                case "--jitdump": run.settings.diagnostics.jitdump = true
                case "--dump-stacks-on-gc": run.settings.diagnostics.dumpStacksOnGC = true
                case "--gdb": run.settings.diagnostics.gdb = true
                case "--no-crash-report": run.settings.diagnostics.noCrashReport = true
                default:
                    // One program file, not a flag.
                    guard !argument.hasPrefix("-"), run.file == nil else { return nil }
                    run.file = argument
                }
            }
        }
        guard (run.code == nil) != (run.file == nil), run.settings.jit.problem == nil else { return nil }
        return run
    }
}
