import Foundation

/// What one run of a subprocess produced.
struct ProgramOutcome: Sendable {
    var stdout: String
    var stderr: String
    /// Exit code, or the signal number when the process was killed by a signal (see `signaled`).
    var status: Int32
    var signaled: Bool
    /// The process outlived its timeout and was killed.
    var timedOut: Bool
    var seconds: Double
}

/// Runs a subprocess with a timeout, capturing stdout and stderr through files (no pipe can fill up
/// and block the child) and killing it when it runs too long.
enum ProgramRunner {
    struct LaunchError: Error, CustomStringConvertible {
        var description: String
    }

    static func run(executable: URL, arguments: [String], timeout: Double) throws -> ProgramOutcome {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("corpus-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }

        let start = Date()
        do {
            try process.run()
        } catch {
            throw LaunchError(description: "cannot start \(executable.path): \(error)")
        }
        var timedOut = false
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            // SIGKILL rather than SIGTERM: a hung guest may not be in a state to handle a polite signal.
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
        }
        let seconds = Date().timeIntervalSince(start)

        let stdout = (try? String(contentsOf: outURL, encoding: .utf8)) ?? "<stdout is not UTF-8>"
        let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? "<stderr is not UTF-8>"
        return ProgramOutcome(
            stdout: stdout,
            stderr: stderr,
            status: process.terminationStatus,
            signaled: process.terminationReason == .uncaughtSignal,
            timedOut: timedOut,
            seconds: seconds
        )
    }
}
