import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How one child process ended and what it printed.
struct SubprocessResult: Sendable, Equatable {
    enum Ending: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)
        /// Killed after outliving its deadline.
        case timedOut
    }
    var ending: Ending
    var stdout: String
    var stderr: String

    /// True when the process ended by itself with status 0 or 1 (the CLI's only legitimate statuses).
    var endedCleanly: Bool { ending == .exited(0) || ending == .exited(1) }
}

/// Runs a child with `posix_spawn`: stdin from /dev/null, stdout and stderr into temporary files (a
/// child can never block on a full pipe), polled with `waitpid(WNOHANG)` and killed with SIGKILL at
/// its deadline. Blocking, so callers run it on their own threads.
enum Subprocess {
    struct LaunchFailure: Error, CustomStringConvertible {
        var description: String
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                    timeout: Double) throws -> SubprocessResult {
        let scratch = NSTemporaryDirectory() + "fuzz-\(getpid())-\(UUID().uuidString)"
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

        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { _, new in new }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawnError = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawnError == 0 else {
            throw LaunchFailure(description: "cannot start \(executable): \(String(cString: strerror(spawnError)))")
        }

        let deadline = Date().addingTimeInterval(timeout)
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
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                timedOut = true
                break
            }
            usleep(pause)
            pause = min(pause * 2, 10_000)
        }

        let ending: SubprocessResult.Ending
        if timedOut {
            ending = .timedOut
        } else if status & 0x7f == 0 {
            ending = .exited((status >> 8) & 0xff)
        } else {
            ending = .signaled(status & 0x7f)
        }
        return SubprocessResult(ending: ending, stdout: readText(outPath), stderr: readText(errPath))
    }

    private static func readText(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Result slots filled by `parallelMap`'s worker threads under a lock.
private final class ResultSlots<R>: @unchecked Sendable {
    var results: [R?]
    var next = 0
    let lock = NSLock()
    init(count: Int) { results = Array(repeating: nil, count: count) }
}

/// Runs `body` for every item on up to `width` threads and returns the results in order.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], width: Int, _ body: @escaping @Sendable (T) -> R) -> [R] {
    let slots = ResultSlots<R>(count: items.count)
    let group = DispatchGroup()
    for _ in 0..<max(1, min(width, items.count)) {
        group.enter()
        Thread.detachNewThread {
            while true {
                slots.lock.lock()
                let index = slots.next
                slots.next += 1
                slots.lock.unlock()
                guard index < items.count else { break }
                let result = body(items[index])
                slots.lock.lock()
                slots.results[index] = result
                slots.lock.unlock()
            }
            group.leave()
        }
    }
    group.wait()
    return slots.results.map { $0! }
}
