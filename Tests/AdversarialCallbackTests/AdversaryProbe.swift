import Foundation
import Testing

/// Runs `adversary-probe` (Tests/AdversaryProbe, built next to the test bundle) on one guest program in a
/// child process, so that a return into freed code (INT3) kills the child, not the test runner.
enum AdversaryProbe {
    /// One collection, as the probe reports it (see Tests/AdversaryProbe/main.swift).
    struct Collection: Decodable {
        var index: Int
        var final: Bool
        var freedPages: [Int]
        var nativeAddresses: [UInt]
        var nativeStackPages: [Int]
        var pinnedPages: [Int]
        var jitReturns: [UInt]
        var conservativeStacks: Int
        var truth: Truth?
    }

    /// A fixture's ground truth for the collection it asked for.
    struct Truth: Decodable {
        var addresses: [UInt]
        var pages: [Int]
        var chainFrames: Int
        var segmentsUsed: Int
    }

    struct Report: Decodable {
        var output: String
        var collections: [Collection]
        var requestedCollections: Int
        var garbageRBPSeen: Int
        var regionBase: UInt
        var pageSize: Int
        var stats: [String: Int]
    }

    struct Outcome {
        var status: Int32
        var signaled: Bool
        var stdout: String
        var stderr: String
    }

    /// The built probe.
    static func locate() throws -> URL {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("adversary-probe"))
        }
        if let argv0 = CommandLine.arguments.first, argv0.contains("/") {
            candidates.append(URL(fileURLWithPath: argv0).resolvingSymlinksInPath().deletingLastPathComponent()
                .appendingPathComponent("adversary-probe"))
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/adversary-probe"))
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                            "adversary-probe not built (swift build --build-tests builds it)")
    }

    /// Runs the probe on `source` with `options`; output through files (no pipe to fill up).
    static func run(_ source: String, options: [String]) throws -> Outcome {
        let probe = try locate()
        let folder = FileManager.default.temporaryDirectory
        let outPath = folder.appendingPathComponent("adversary-out-\(UUID().uuidString)").path
        let errPath = folder.appendingPathComponent("adversary-err-\(UUID().uuidString)").path
        defer {
            unlink(outPath)
            unlink(errPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // The runner's threads block signals; the child gets a clean mask and default actions, so a trap
        // really ends it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([probe.path] + options + [source]).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, probe.path, &actions, &attributes, argv, environ)
        try #require(spawned == 0, "posix_spawn \(probe.path): errno \(spawned)")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            try #require(errno == EINTR, "waitpid: errno \(errno)")
        }
        let signaled = (status & 0x7f) != 0 && (status & 0x7f) != 0x7f
        return Outcome(status: signaled ? status & 0x7f : (status >> 8) & 0xff, signaled: signaled,
                       stdout: String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self),
                       stderr: String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self))
    }

    /// Runs the probe and decodes its report; a child that died (a trap on freed code) fails the test.
    static func report(_ source: String, options: [String]) throws -> Report {
        let outcome = try run(source, options: options)
        try #require(!outcome.signaled,
                     "the program died of signal \(outcome.status)\(outcome.status == SIGTRAP ? " (SIGTRAP: returned into freed code)" : ""):\n\(outcome.stderr.suffix(3000))")
        try #require(outcome.status == 0, "adversary-probe exited \(outcome.status):\n\(outcome.stderr.suffix(3000))")
        return try JSONDecoder().decode(Report.self, from: Data(outcome.stdout.utf8))
    }
}
