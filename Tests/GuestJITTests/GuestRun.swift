import GuestJIT
import GuestVM

/// Runs a guest program in-process, with or without the JIT, and returns what it printed.
final class GuestRun {
    let vm: VM
    let jit: GuestJIT?
    private var printed = ""

    init(jit configuration: JITConfiguration?) throws {
        let output = OutputBuffer()
        vm = VM(output: output)
        if let configuration {
            jit = try GuestJIT(vm: vm, configuration: configuration)
        } else {
            jit = nil
            JITModule.install(in: vm)
        }
        output.capture = { [unowned self] in self.printed += $0 }
    }

    /// Runs `source`; returns its output (an uncaught exception's report appended).
    func run(_ source: String) throws -> String {
        let iseq = try vm.compile(source, fileName: "test.rb")
        do {
            _ = try vm.run(iseq)
        } catch {
            printed += vm.uncaughtReport(error.value)
        }
        vm.output.flush()
        return printed
    }

    static func output(_ source: String, jit configuration: JITConfiguration?) throws -> (String, GuestJIT?) {
        let run = try GuestRun(jit: configuration)
        let text = try run.run(source)
        return (text, run.jit)
    }

    static let eager = JITConfiguration(callThreshold: 1)
    static let tiny = JITConfiguration(callThreshold: 1, regionSize: 256 << 10, pageSize: 4 << 10)
}
