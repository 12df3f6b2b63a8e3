import ArgumentParser
import CShims
import Glibc
import GuestJIT
import GuestVM

/// `jitstack stack FILE`: runs a program and prints every execution context's stacks at each
/// `JIT.dump_stack` call and on SIGUSR1.
public struct StackCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "stack",
        abstract: "Run a program; print every execution context's stacks at each JIT.dump_stack and on SIGUSR1.",
        discussion: """
        A dump stops every other thread and lists each execution context (the running one, then suspended \
        fibers, then threads parked at a safepoint, then any other context with frames) with how its native \
        stack was read: `precise` (libunwind walked it to the end) or \
        `conservative` (stack words that point into the code region). Then:

          VM frames, innermost first: type (method, block, top, class, eval, cfunc), name, file:line and pc, and \
        the frame's jit_return: the JIT code it returns into (method, ISEQ pc range, the pc it resumes at, \
        block state live or invalidated, page).
          native frames, innermost first: JIT (a compiled block: method, ISEQ pc range, resume pc, live or \
        invalidated, page; or a stub, an exit, the shared trampoline), C (named from the executable's .symtab, \
        static functions too), Swift (demangled), runtime (libc, libunwind, the Swift runtime, via dladdr).
          pins: the code pages this context's frames keep alive (the collector cannot free them).

        SIGUSR1 (`kill -USR1 PID`) only sets a flag; the dump happens at the next safepoint (a loop \
        back-edge or method entry; compiled loops leave to the interpreter for it). With --json, the program's \
        output and every dump are printed as one JSON document at exit.
        """
    )

    @Option(name: .customShort("e"), help: "Program text to run instead of a file.")
    public var code: String?

    @Argument(help: "The program file.")
    public var file: String?

    @Flag(name: .customLong("all-frames"), help: "List every Swift and runtime frame (by default each run of them is one line).")
    public var allFrames = false

    @OptionGroup public var options: RunOptions

    public init() {}

    public func validate() throws {
        if code == nil && file == nil { throw ValidationError("give a program FILE or -e CODE") }
        if code != nil && file != nil { throw ValidationError("give either a program FILE or -e CODE, not both") }
    }

    public func run() throws {
        guard let (text, fileName) = ProgramRunner.load(source: code, file: file) else { throw ExitCode(1) }
        let session = ProgramSession(settings: options.settings)
        session.inspector?.tracksBlocks = true
        let json = options.jit.json
        var output = ""
        var dumps: [StackDump] = []
        if json { session.vm.output.capture = { output += $0 } }
        func emit(_ dump: StackDump) {
            if json {
                dumps.append(dump)
            } else {
                session.vm.output.write(dump.text(compact: !allFrames) + "\n")
                session.vm.output.flush()
            }
        }
        JITModule.stackDumper = { ec in emit(session.dump(trigger: "JIT.dump_stack", current: ec)) }
        SafepointRequests.handler = { ec in
            session.jit?.clearInterruptAfterRequest()
            emit(session.dump(trigger: "SIGUSR1", current: ec))
        }
        defer {
            JITModule.stackDumper = nil
            SafepointRequests.handler = nil
            jr_safepoint_set_poke(nil)
        }
        jr_safepoint_set_poke(session.jit?.interruptFlag)
        guard SafepointRequests.postOnSignal(SIGUSR1) else {
            ProgramRunner.printError("jitstack: cannot handle SIGUSR1 (sigaction failed)\n")
            throw ExitCode(1)
        }
        let status = session.run(text, fileName: fileName)
        if json {
            let document = JSONValue.object([
                ("view", .string("stack")), ("exit_status", .int(Int(status))), ("output", .string(output)),
                ("dumps", .array(dumps.map(\.json))),
            ])
            print(document.text)
        }
        if status != 0 { throw ExitCode(status) }
    }
}
