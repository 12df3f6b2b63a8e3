import CShims
import GuestJIT
import GuestVM
import JITDiagnostics

/// One program run with the VM, the JIT (unless `--no-jit`) and the diagnostics the flags ask for: what
/// every view (`run`, `stack`, `pages`, `demo`) builds on.
final class ProgramSession {
    let settings: RunSettings
    let vm = VM()
    let jit: GuestJIT?
    /// Follows the JIT (nil with `--no-jit` or when the JIT could not start).
    let inspector: JITInspector?
    /// Reads stacks with or without a JIT.
    let stacks: StackInspector
    /// Whether the JIT was asked for but could not start (the error is printed).
    let failedToStart: Bool

    init(settings: RunSettings) {
        self.settings = settings
        jit = settings.jit.install(in: vm, enabled: !settings.noJIT)
        failedToStart = !settings.noJIT && jit == nil
        if let jit {
            var diagnostics: JITDiagnostics?
            let flags = settings.diagnostics
            let wanted = DiagnosticsOptions(perfMapPath: flags.perfMap ? DiagnosticsOptions.perfMapForThisProcess : nil,
                                            gdb: flags.gdb, crashReports: !flags.noCrashReport)
            do {
                diagnostics = try JITDiagnostics(space: jit.region, options: wanted)
            } catch {
                // Crash reports are best effort (one reporter per process); the rest was asked for.
                ProgramRunner.printError("jitstack: diagnostics: \(error.description)\n")
                var fallback = wanted
                fallback.crashReports = false
                diagnostics = try? JITDiagnostics(space: jit.region, options: fallback)
            }
            let inspector = JITInspector(vm: vm, jit: jit, diagnostics: diagnostics)
            if flags.jitdump {
                do {
                    inspector.jitDump = try JitDump()
                } catch {
                    ProgramRunner.printError("jitstack: --jitdump: \(error.description)\n")
                }
            }
            self.inspector = inspector
            stacks = inspector.stacks
            if flags.dumpStacksOnGC {
                inspector.tracksBlocks = true
                let json = settings.jit.json
                inspector.onGCStacks = { [vm] dump in vm.writeError((json ? dump.json.text : dump.text) + "\n") }
            }
        } else {
            inspector = nil
            stacks = StackInspector(vm: vm, jit: nil)
        }
    }

    deinit {
        // One crash reporter per process: give it back so a later session (the demo) can install its own.
        inspector?.diagnostics?.crashReporter?.uninstall()
    }

    /// The stacks of every execution context now, taken on the thread running `ec` with every other
    /// thread parked.
    func dump(trigger: String, current ec: ExecutionContext) -> StackDump {
        vm.withWorldStopped {
            inspector?.dump(trigger: trigger, current: ec) ?? stacks.dump(trigger: trigger, current: ec, blocks: CompiledBlockTable())
        }
    }

    /// Runs the program; prints `--stats` at the end. Returns the exit status.
    func run(_ text: String, fileName: String) -> Int32 {
        if failedToStart { return 1 }
        defer {
            vm.output.flush()
            inspector?.finish()
            settings.jit.report(jit)
        }
        return ProgramRunner.execute(text, fileName: fileName, on: vm)
    }
}
