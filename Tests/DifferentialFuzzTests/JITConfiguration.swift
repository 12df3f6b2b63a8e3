import Foundation
import TestSupport

/// One way of running `jitstack run`: its flags. `--no-jit` is the reference every other one must match.
struct RunFlags: Sendable, Hashable, CustomStringConvertible {
    let flags: [String]
    var description: String { flags.isEmpty ? "(default flags)" : flags.joined(separator: " ") }

    static let interpreter = RunFlags(flags: ["--no-jit"])

    /// The JIT configurations this binary supports, read from `jitstack run --help`: the default flags,
    /// compile on the first call, the same with a code GC before every compilation, and that in a region
    /// of four 4 KiB pages, so code is freed and reused all the time (last: the harshest). Falls back to
    /// the default flags alone.
    static func supported(by jitstack: String) -> [RunFlags] {
        let help = (try? ChildProcess.run(jitstack, ["run", "--help"], timeout: 30))?.stdout ?? ""
        func has(_ flag: String) -> Bool { help.contains(flag) }
        var configurations = [RunFlags(flags: [])]
        if has("--call-threshold") {
            configurations.append(RunFlags(flags: ["--call-threshold", "1"]))
            if has("--stress-gc") {
                configurations.append(RunFlags(flags: ["--call-threshold", "1", "--stress-gc"]))
            }
            if has("--stress-gc") && has("--code-region") && has("--page-size") {
                configurations.append(RunFlags(flags: [
                    "--call-threshold", "1", "--stress-gc", "--code-region", "16K", "--page-size", "4K",
                ]))
            }
        }
        return configurations
    }
}
