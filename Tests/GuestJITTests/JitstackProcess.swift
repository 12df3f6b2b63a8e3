import Foundation
import Testing

/// Runs a guest program in a child `jitstack run`, for scenarios where a collector bug would make JIT code
/// reach freed (INT3) memory: the trap then kills the child, not the test runner, and the test reports it.
struct JitstackProcess {
    /// What the child printed and how it ended.
    struct Outcome {
        var stdout: String
        var stderr: String
        var status: Int32
        var signaled: Bool

        /// One line for a failed expectation.
        var summary: String {
            let ending = signaled ? "killed by signal \(status)" : "exit status \(status)"
            return "\(ending); stderr: \(stderr.prefix(1500))"
        }

        /// The value of the last `stat NAME VALUE` line the program printed (see ``statLines(_:)``).
        func stat(_ name: String) -> Int? {
            let prefix = "stat \(name) "
            return stdout.split(separator: "\n").last { $0.hasPrefix(prefix) }.flatMap { Int($0.dropFirst(prefix.count)) }
        }

        /// Every value of `stat NAME VALUE` lines, in the order printed.
        func stats(_ name: String) -> [Int] {
            let prefix = "stat \(name) "
            return stdout.split(separator: "\n").filter { $0.hasPrefix(prefix) }.compactMap { Int($0.dropFirst(prefix.count)) }
        }

        /// Every line but the `stat` lines: what must match the interpreter's output.
        var programLines: [Substring] {
            stdout.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("stat ") }
        }
    }

    let executable: URL

    /// The built `jitstack`: `$JITSTACK_BINARY`, next to the test bundle, or the package's debug build.
    static func locate() throws -> JitstackProcess {
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["JITSTACK_BINARY"], !explicit.isEmpty {
            candidates.append(URL(fileURLWithPath: explicit))
        }
        if let argv0 = CommandLine.arguments.first, argv0.contains("/") {
            candidates.append(URL(fileURLWithPath: argv0).resolvingSymlinksInPath().deletingLastPathComponent()
                .appendingPathComponent("jitstack"))
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/jitstack"))
        let found = candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
        let executable = try #require(found, "jitstack not built (swift build); looked at \(candidates.map(\.path))")
        return JitstackProcess(executable: executable)
    }

    /// Statements printing `stat NAME VALUE` for each JIT stat, at the point of the program they are put.
    static func statLines(_ names: [String]) -> String {
        names.map { "puts \"stat \($0) \" + JIT.stat(:\($0)).to_s" }.joined(separator: "\n")
    }

    /// Runs `jitstack run FLAGS FILE` on `source`, killing it after `timeout` seconds.
    func run(_ source: String, flags: [String], timeout: Double = 120) throws -> Outcome {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("guestjit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let program = scratch.appendingPathComponent("program.rb")
        try source.write(to: program, atomically: true, encoding: .utf8)
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        // Files, not pipes: a chatty child can never block on a full pipe.
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        defer {
            try? out.close()
            try? err.close()
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["run"] + flags + [program.path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        if done.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            done.wait()
        }
        return Outcome(
            stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "",
            status: process.terminationStatus,
            signaled: process.terminationReason == .uncaughtSignal)
    }
}
