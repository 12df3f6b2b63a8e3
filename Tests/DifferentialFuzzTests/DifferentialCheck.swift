import Foundation
import TestSupport

/// A disagreement between the interpreter and another way of running the same program.
struct Disagreement: Sendable, CustomStringConvertible {
    enum Kind: String, Sendable {
        /// Some run died from a signal.
        case crash
        /// Some run outlived its deadline.
        case hang
        /// Both ended by themselves but printed or exited differently.
        case mismatch
    }
    let kind: Kind
    /// What ran against the reference: `jitstack run` flags, or "ruby".
    let against: String
    let flags: RunFlags?
    let reference: ChildOutcome
    let actual: ChildOutcome

    /// The runtime's fatal-error line without its line number (`File.swift: Precondition failed: ...`) of a crash, which names
    /// the bug better than the seed does: many seeds hit one bug.
    var signature: String? {
        guard kind == .crash else { return nil }
        let markers = ["Precondition failed", "Fatal error", "Assertion failed", "fatal error"]
        return (actual.stderr + "\n" + reference.stderr).split(separator: "\n")
            .first { line in markers.contains { line.contains($0) } }
            .map { line in
                // Without the line number, which moves whenever the file is edited.
                String(line.trimmingCharacters(in: .whitespaces)
                    .replacingOccurrences(of: #"\.swift:[0-9]+:"#, with: ".swift:", options: .regularExpression)
                    .prefix(200))
            }
    }

    var description: String {
        """
        \(kind.rawValue): jitstack run --no-jit vs \(against)
        --- --no-jit: \(reference.ending)
        \(reference.stdout.suffix(1500))\(reference.stderr.isEmpty ? "" : "[stderr] " + reference.stderr.prefix(800))
        --- \(against): \(actual.ending)
        \(actual.stdout.suffix(1500))\(actual.stderr.isEmpty ? "" : "[stderr] " + actual.stderr.prefix(800))
        """
    }
}

/// Runs a program under `jitstack run --no-jit` and compares every other run with it.
struct DifferentialCheck: Sendable {
    let jitstack: String
    let configurations: [RunFlags]
    var timeout: Double = 30

    /// The Swift runtime's backtracer spends about a second symbolicating each crash; the first line of
    /// a fatal error still names it, and the fuzzer meets many crashes while minimizing.
    static let environment = ["SWIFT_BACKTRACE": "enable=no"]

    /// Writes `source` to a fresh temporary file, runs it with each configuration and returns the first
    /// disagreement with the interpreter (stdout, stderr and exit status must all match), or nil.
    func check(_ source: String) -> Disagreement? {
        withProgramFile(source) { path in
            let reference = run(path, .interpreter)
            if let trouble = trouble(reference) {
                return Disagreement(kind: trouble, against: "--no-jit itself", flags: .interpreter,
                                    reference: reference, actual: reference)
            }
            for flags in configurations {
                let actual = run(path, flags)
                if let kind = trouble(actual) ?? (actual == reference ? nil : .mismatch) {
                    return Disagreement(kind: kind, against: flags.description, flags: flags,
                                        reference: reference, actual: actual)
                }
            }
            return nil
        }
    }

    /// Compares `--no-jit` with Debian's ruby: stdout and exit status (stderr wording differs by design).
    func checkAgainstRuby(_ source: String, ruby: String) -> Disagreement? {
        withProgramFile(source) { path in
            let reference = run(path, .interpreter)
            let actual = (try? ChildProcess.run(ruby, RubyLocator.flags + [path], environment: RubyLocator.environment,
                                              timeout: timeout))
                ?? ChildOutcome(ending: .signaled(0), stdout: "", stderr: "ruby did not start")
            if let kind = trouble(reference) ?? trouble(actual) {
                return Disagreement(kind: kind, against: "ruby", flags: nil, reference: reference, actual: actual)
            }
            guard reference.stdout == actual.stdout, reference.ending == actual.ending else {
                return Disagreement(kind: .mismatch, against: "ruby", flags: nil, reference: reference, actual: actual)
            }
            return nil
        }
    }

    func run(_ path: String, _ flags: RunFlags) -> ChildOutcome {
        do {
            return try ChildProcess.run(jitstack, ["run"] + flags.flags + [path], environment: Self.environment,
                                      timeout: timeout)
        } catch {
            return ChildOutcome(ending: .signaled(0), stdout: "", stderr: "\(error)")
        }
    }

    private func trouble(_ result: ChildOutcome) -> Disagreement.Kind? {
        switch result.ending {
        case .signaled: return .crash
        case .timedOut: return .hang
        case .exited: return nil
        }
    }
}

/// Calls `body` with the path of a temporary file holding `text`, removed afterwards.
func withProgramFile<R>(_ text: String, _ body: (String) -> R) -> R {
    let path = NSTemporaryDirectory() + "fuzz-\(getpid())-\(UUID().uuidString).rb"
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    defer { unlink(path) }
    return body(path)
}
