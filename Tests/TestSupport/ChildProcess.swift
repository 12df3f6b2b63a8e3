import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How one child process ended, what it printed, and how long it took.
public struct ChildOutcome: Sendable, Equatable {
    public enum Ending: Sendable, Equatable, CustomStringConvertible {
        case exited(Int32)
        case signaled(Int32)
        /// Killed with SIGKILL after outliving its deadline.
        case timedOut

        public var description: String {
            switch self {
            case .exited(let status): "exited(\(status))"
            case .signaled(let signal): "signaled(\(signal))"
            case .timedOut: "timedOut"
            }
        }
    }

    public var ending: Ending
    public var stdout: String
    public var stderr: String
    public var seconds: Double

    public init(ending: Ending, stdout: String, stderr: String, seconds: Double = 0) {
        self.ending = ending
        self.stdout = stdout
        self.stderr = stderr
        self.seconds = seconds
    }

    /// Same ending and output; how long each run took is not part of what it did (a synthesized `==`
    /// would compare `seconds` too and make every pair of runs differ).
    public static func == (lhs: ChildOutcome, rhs: ChildOutcome) -> Bool {
        lhs.ending == rhs.ending && lhs.stdout == rhs.stdout && lhs.stderr == rhs.stderr
    }

    /// The exit status, or the signal number when the child was killed by a signal; -1 after a timeout.
    public var status: Int32 {
        switch ending {
        case .exited(let status), .signaled(let status): status
        case .timedOut: -1
        }
    }

    public var signaled: Bool {
        if case .signaled = ending { return true }
        return false
    }

    public var timedOut: Bool { ending == .timedOut }

    /// True when the child ended by itself with status 0 or 1 (the CLI's only legitimate statuses).
    public var endedCleanly: Bool { ending == .exited(0) || ending == .exited(1) }
}

/// Runs a child with `posix_spawn` and waits for it, with a deadline.
///
/// stdin is /dev/null and stdout/stderr go to temporary files, so a child can never block on a full
/// pipe. The child starts with an empty signal mask and default actions: the test runner's threads block
/// signals (SIGCHLD among them), and a debugger or a crash handler inheriting that mask misbehaves.
/// Blocking: callers that want parallelism run it on their own threads.
public enum ChildProcess {
    public struct LaunchFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `executable` with `arguments`; `environment` is merged over this process's environment.
    /// A child still running at `timeout` seconds is killed and reported as `.timedOut`.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           timeout: Double) throws -> ChildOutcome {
        let scratch = NSTemporaryDirectory() + "child-\(getpid())-\(UUID().uuidString)"
        let outPath = scratch + ".out", errPath = scratch + ".err"
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

        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { _, new in new }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        let start = Date()
        var pid: pid_t = 0
        var spawnError = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        // A script a test has just written can still be busy: a child spawned by another test thread while
        // the file was open for writing inherited that descriptor and may hold it until it exits. Retry for
        // up to 5 s instead of failing on a race between unrelated tests.
        var busyRetries = 0
        while spawnError == ETXTBSY && busyRetries < 250 {
            busyRetries += 1
            usleep(20_000)
            spawnError = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        }
        guard spawnError == 0 else {
            throw LaunchFailure(description: "cannot start \(executable): \(String(cString: strerror(spawnError)))")
        }

        let deadline = start.addingTimeInterval(timeout)
        var status: Int32 = 0
        var pause: useconds_t = 200
        var timedOut = false
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped < 0 && errno != EINTR {
                throw LaunchFailure(description: "waitpid failed: \(String(cString: strerror(errno)))")
            }
            if Date() >= deadline {
                // SIGKILL rather than SIGTERM: a hung guest may not be in a state to handle a polite signal.
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                timedOut = true
                break
            }
            usleep(pause)
            pause = min(pause * 2, 10_000)
        }
        let seconds = Date().timeIntervalSince(start)

        let ending: ChildOutcome.Ending
        if timedOut {
            ending = .timedOut
        } else if status & 0x7f == 0 {
            ending = .exited((status >> 8) & 0xff)
        } else {
            ending = .signaled(status & 0x7f)
        }
        return ChildOutcome(ending: ending, stdout: readText(outPath), stderr: readText(errPath), seconds: seconds)
    }

    private static func readText(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}
