import Foundation
import Testing

/// Runs the `jitdiag-probe` executable (built next to the test bundle) or another program, capturing output.
enum ProbeProcess {
    struct Outcome {
        var status: Int32
        var wasSignaled: Bool
        var stdout: String
        var stderr: String
    }

    /// The built probe, or nil.
    static func locate() -> URL? {
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["JITDIAG_PROBE_BINARY"], !explicit.isEmpty {
            candidates.append(URL(fileURLWithPath: explicit))
        }
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("jitdiag-probe"))
        }
        if let argv0 = CommandLine.arguments.first, argv0.contains("/") {
            candidates.append(URL(fileURLWithPath: argv0).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("jitdiag-probe"))
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/jitdiag-probe"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static func probe() throws -> URL {
        try #require(locate(), "jitdiag-probe not built (swift build builds it)")
    }

    /// Runs `executable` with `arguments` to completion, output to files. Spawned with posix_spawn, an
    /// empty signal mask and default actions: the test runner's threads block signals (SIGCHLD among them),
    /// and gdb inheriting that mask never notices its inferior stopping.
    static func run(_ executable: URL, _ arguments: [String]) throws -> Outcome {
        let folder = FileManager.default.temporaryDirectory
        let outPath = folder.appendingPathComponent("jitdiag-out-\(UUID().uuidString)").path
        let errPath = folder.appendingPathComponent("jitdiag-err-\(UUID().uuidString)").path
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

        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable.path, &actions, &attributes, argv, environ)
        try #require(spawned == 0, "posix_spawn \(executable.path): errno \(spawned)")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            try #require(errno == EINTR, "waitpid: errno \(errno)")
        }
        let signaled = (status & 0x7f) != 0 && (status & 0x7f) != 0x7f
        let outData = FileManager.default.contents(atPath: outPath) ?? Data()
        let errData = FileManager.default.contents(atPath: errPath) ?? Data()
        return Outcome(
            status: signaled ? status & 0x7f : (status >> 8) & 0xff, wasSignaled: signaled,
            stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}
