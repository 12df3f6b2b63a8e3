import ArgumentParser
import Glibc
import GuestSyntax
import GuestVM

/// Options of `jitstack run` that configure the VM and (later) the JIT. The JIT extends this struct
/// with its flags (`--call-threshold`, `--code-region`, `--page-size`, `--stats`, `--json`).
public struct RunOptions: ParsableArguments {
    @Flag(name: .customLong("no-jit"), help: "Interpret only (no machine code).")
    public var noJIT = false

    @OptionGroup public var jit: JITOptions

    @OptionGroup public var diagnostics: DiagnosticFlags

    public init() {}

    /// The values these flags were given.
    public var settings: RunSettings {
        var settings = RunSettings()
        settings.noJIT = noJIT
        settings.jit = jit.settings
        settings.diagnostics = diagnostics.settings
        return settings
    }
}

/// `jitstack run FILE` / `jitstack run -e CODE`: runs a guest program.
public struct RunCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a Ruby-subset program."
    )

    @Option(name: .customShort("e"), help: "Program text to run instead of a file.")
    public var code: String?

    @Argument(help: "The program file.")
    public var file: String?

    @OptionGroup public var options: RunOptions

    public init() {}

    public func validate() throws {
        if code == nil && file == nil { throw ValidationError("give a program FILE or -e CODE") }
        if code != nil && file != nil { throw ValidationError("give either a program FILE or -e CODE, not both") }
    }

    public func run() throws {
        let status = ProgramRunner.run(source: code, file: file, settings: options.settings)
        if status != 0 { throw ExitCode(status) }
    }
}

/// Loads, compiles and runs one program, reporting errors as Ruby does. Returns the exit status.
public enum ProgramRunner {
    /// The CLI's finished session, kept until the process exits: `run` is the CLI's last step, and tearing
    /// down a finished VM and JIT (freeing every object and table, unmapping the code) would cost a short
    /// run's exit several percent of its CPU for nothing. Perf maps still flush at exit (`atexit`); a
    /// ``ProgramSession`` made directly, as tests and the demo do, is freed as usual.
    nonisolated(unsafe) static var sessionKeptUntilExit: ProgramSession?

    public static func run(source: String?, file: String?, settings: RunSettings) -> Int32 {
        guard let (text, fileName) = load(source: source, file: file) else { return 1 }
        let session = ProgramSession(settings: settings)
        sessionKeptUntilExit = session
        return session.run(text, fileName: fileName)
    }

    /// The program text of `-e CODE` or FILE, and the file name errors show; nil after printing why.
    static func load(source: String?, file: String?) -> (text: String, fileName: String)? {
        if let source { return (source, "-e") }
        let fileName = file ?? "-"
        guard let contents = readFile(fileName) else {
            printError("jitstack: No such file or directory -- \(fileName) (LoadError)\n")
            return nil
        }
        return (contents, fileName)
    }

    /// Compiles and runs `text` on `vm`, reporting errors as Ruby does. Returns the exit status.
    static func execute(_ text: String, fileName: String, on vm: VM) -> Int32 {
        // Ruby kills the other threads when the main program ends: they stop at their next safepoint.
        defer { vm.stopOtherThreads() }
        let iseq: ISeq
        do {
            iseq = try vm.compile(text, fileName: fileName)
        } catch {
            printError("\(error.description)\n")
            return 1
        }
        do {
            _ = try vm.run(iseq)
            vm.output.flush()
            return 0
        } catch {
            vm.output.flush()
            if let status = vm.exitStatus(of: error.value) { return status }
            printError(vm.uncaughtReport(error.value))
            return 1
        }
    }

    /// The file's bytes as a string (invalid UTF-8 repaired), or nil when it cannot be opened or read.
    /// Reads into uninitialized memory sized from `fstat` (a start-up cost: a zeroed 64 KiB buffer was ~1% of
    /// `puts 1`'s instructions and 16 page faults); pipes and other files of unknown size grow it.
    static func readFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        // One byte more than the size, so a regular file's end shows as a short read without a second buffer.
        var capacity = fstat(fd, &info) == 0 && info.st_size > 0 ? Int(info.st_size) + 1 : 1 << 12
        guard var buffer = malloc(capacity) else { return nil }
        defer { free(buffer) }
        var count = 0
        while true {
            if count == capacity {
                capacity *= 2
                guard let larger = realloc(buffer, capacity) else { return nil }
                buffer = larger
            }
            let n = read(fd, buffer + count, capacity - count)
            if n > 0 {
                count += n
            } else if n == 0 {
                break
            } else if errno != EINTR {
                return nil
            }
        }
        return String(decoding: UnsafeBufferPointer(start: buffer.assumingMemoryBound(to: UInt8.self), count: count), as: UTF8.self)
    }

    static func printError(_ s: String) {
        var bytes = Array(s.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            offset += n
        }
        bytes.removeAll()
    }
}
