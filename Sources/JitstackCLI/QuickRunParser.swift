import ArgumentParser

/// Parses the common `jitstack run [FLAGS] FILE` / `jitstack run [FLAGS] -e CODE` without ArgumentParser's
/// parse: its reflection over every command's properties costs a few milliseconds of start-up, more than
/// a small program's whole run.
///
/// It only takes what it fully understands (each `run` flag at most once, well-formed values that pass
/// the same validation) and fills every property of the same `RunCommand` ArgumentParser would build;
/// anything else (help, an unknown or repeated flag, a bad value, other commands) returns nil, and
/// ArgumentParser parses as before, so its messages and exit statuses stay the only ones.
public enum QuickRunParser {
    /// The `run` command `arguments` (without the executable name) describe, or nil to let ArgumentParser
    /// parse them.
    public static func parse(_ arguments: [String]) -> RunCommand? {
        guard arguments.first == "run" else { return nil }
        var code: String?
        var file: String?
        var jit = JITSettings()
        var flags = DiagnosticSettings()
        var noJIT = false
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
                guard attached == nil, index < arguments.count, !arguments[index].hasPrefix("-") else { return nil }
                code = arguments[index]
                index += 1
            case "--call-threshold":
                guard let text = value(), let number = Int(text) else { return nil }
                jit.callThreshold = number
            case "--code-region":
                guard let text = value(), let size = try? JITOptions.parseSize(text) else { return nil }
                jit.codeRegion = size
            case "--page-size":
                guard let text = value(), let size = try? JITOptions.parseSize(text) else { return nil }
                jit.pageSize = size
            default:
                guard attached == nil else { return nil }
                switch argument {
                case "--no-jit": noJIT = true
                case "--no-code-gc": jit.noCodeGC = true
                case "--stress-gc": jit.stressGC = true
                case "--stats": jit.stats = true
                case "--json": jit.json = true
                case "--perf-map": flags.perfMap = true
                case "--jitdump": flags.jitdump = true
                case "--dump-stacks-on-gc": flags.dumpStacksOnGC = true
                case "--gdb": flags.gdb = true
                case "--no-crash-report": flags.noCrashReport = true
                default:
                    // One program file, not a flag.
                    guard !argument.hasPrefix("-"), file == nil else { return nil }
                    file = argument
                }
            }
        }
        var options = RunOptions()
        options.noJIT = noJIT
        options.jit = jit.options
        options.diagnostics = flags.options
        var command = RunCommand()
        command.code = code
        command.file = file
        command.options = options
        do {
            try command.options.jit.validate()
            try command.validate()
        } catch {
            return nil
        }
        return command
    }

    /// `JITOptions`' values, with its defaults.
    private struct JITSettings {
        var callThreshold = 2
        var codeRegion = 64 << 20
        var pageSize = 16 << 10
        var noCodeGC = false
        var stressGC = false
        var stats = false
        var json = false

        var options: JITOptions {
            var options = JITOptions()
            options.callThreshold = callThreshold
            options.codeRegion = codeRegion
            options.pageSize = pageSize
            options.noCodeGC = noCodeGC
            options.stressGC = stressGC
            options.stats = stats
            options.json = json
            return options
        }
    }

    /// `DiagnosticFlags`' values, all off by default.
    private struct DiagnosticSettings {
        var perfMap = false
        var jitdump = false
        var dumpStacksOnGC = false
        var gdb = false
        var noCrashReport = false

        var options: DiagnosticFlags {
            var options = DiagnosticFlags()
            options.perfMap = perfMap
            options.jitdump = jitdump
            options.dumpStacksOnGC = dumpStacksOnGC
            options.gdb = gdb
            options.noCrashReport = noCrashReport
            return options
        }
    }
}
