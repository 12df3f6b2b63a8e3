import Foundation
import TestSupport

/// Runs the built `jitstack` executable (found by `BuiltProduct`) as a subprocess: the views are tested as
/// users run them. Unlike `ChildProcess`, it gives the child's pid (perf-PID.map) and lets a test act while
/// the child runs (send SIGUSR1). Output goes through files, so a large dump cannot block the child.
struct JitstackProcess {
    struct Outcome {
        var stdout: String
        var stderr: String
        var status: Int32
        var signaled: Bool
        var processID: Int32
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func binary() throws -> URL { try BuiltProduct.jitstack.located() }

    /// Runs `jitstack arguments...` to the end (killed after `timeout` seconds). `whileRunning` is called
    /// every 50 ms with the process id and the stdout so far; it returns true to stop the process (SIGKILL).
    static func run(_ arguments: [String], timeout: Double = 120,
                    whileRunning: ((Int32, String) -> Bool)? = nil) throws -> Outcome {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("jitstack-view-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer {
            try? out.close()
            try? err.close()
        }
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while finished.wait(timeout: .now() + 0.05) == .timedOut {
            let soFar = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
            if Date() > deadline || whileRunning?(process.processIdentifier, soFar) == true {
                kill(process.processIdentifier, SIGKILL)
                finished.wait()
                break
            }
        }
        return Outcome(stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                       stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "",
                       status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
                       processID: process.processIdentifier)
    }

    /// The JSON object `text` holds (the whole of a view's `--json` output).
    static func json(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw Failure(description: "not a JSON object: \(text.prefix(200))")
        }
        return object
    }
}
