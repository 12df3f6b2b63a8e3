import Foundation
import TestSupport

/// Runs a guest program in a child `jitstack run`, for scenarios where a collector bug would make JIT code
/// reach freed (INT3) memory: the trap then kills the child, not the test runner, and the test reports it.
struct JitstackProcess {
    /// What the child printed and how it ended, with the `stat NAME VALUE` lines the program printed.
    struct Outcome {
        let child: ChildOutcome

        var signaled: Bool { child.signaled }
        var status: Int32 { child.status }

        /// One line for a failed expectation.
        var summary: String { "\(child.ending); stderr: \(child.stderr.prefix(1500))" }

        /// The value of the last `stat NAME VALUE` line the program printed (see ``statLines(_:)``).
        func stat(_ name: String) -> Int? { stats(name).last }

        /// Every value of `stat NAME VALUE` lines, in the order printed.
        func stats(_ name: String) -> [Int] {
            let prefix = "stat \(name) "
            return child.stdout.split(separator: "\n").filter { $0.hasPrefix(prefix) }.compactMap { Int($0.dropFirst(prefix.count)) }
        }

        /// Every line but the `stat` lines: what must match the interpreter's output.
        var programLines: [Substring] {
            child.stdout.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("stat ") }
        }
    }

    let executable: URL

    /// The built `jitstack` (see `BuiltProduct`).
    static func locate() throws -> JitstackProcess {
        JitstackProcess(executable: try BuiltProduct.jitstack.located())
    }

    /// Statements printing `stat NAME VALUE` for each JIT stat, at the point of the program they are put.
    static func statLines(_ names: [String]) -> String {
        names.map { "puts \"stat \($0) \" + JIT.stat(:\($0)).to_s" }.joined(separator: "\n")
    }

    /// Runs `jitstack run FLAGS FILE` on `source`, killing it after `timeout` seconds.
    func run(_ source: String, flags: [String], timeout: Double = 120) throws -> Outcome {
        let program = FileManager.default.temporaryDirectory.appendingPathComponent("guestjit-\(UUID().uuidString).rb")
        try source.write(to: program, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: program) }
        return Outcome(child: try ChildProcess.run(executable.path, ["run"] + flags + [program.path], timeout: timeout))
    }
}
