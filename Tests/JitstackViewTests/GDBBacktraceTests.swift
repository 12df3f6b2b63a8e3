import Foundation
import Testing
import TestSupport

/// `jitstack run --gdb`: GDB names the guest method's JIT frame in `bt` (the GDB JIT interface).
@Suite struct GDBBacktraceTests {
    static let gdb = ["/usr/bin/gdb", "/usr/local/bin/gdb"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Stops in `jr_protect_call`, the C protect point through which compiled `probe`'s send helper calls
    /// `JIT.in_jit?` (the program's first protected cfunc call): JIT -> send helper -> C.
    @Test(.enabled(if: gdb != nil, "gdb is not installed"))
    func backtraceFromACFunctionCalledByJITCodeNamesTheGuestMethod() throws {
        let jitstack = try JitstackProcess.binary().path
        let outcome = try ChildProcess.run(Self.gdb!, [
            "-batch", "-nx", "-ex", "set complaints 0", "-ex", "set breakpoint pending on",
            "-ex", "break jr_protect_call", "-ex", "run", "-ex", "bt 40", "-ex", "kill",
            "--args", jitstack, "run", "--gdb", "--call-threshold", "1", "-e", "def probe; JIT.in_jit?; end; p probe",
        ], timeout: 240)
        let frames = outcome.stdout.split(separator: "\n").filter { $0.hasPrefix("#") }
        #expect(frames.first?.contains("jr_protect_call") == true, "\(outcome.stdout.suffix(2000))")
        let jitFrame = frames.firstIndex { $0.contains(" in jit:probe pc 0...") }
        let protect = frames.firstIndex { $0.contains("jr_protect_call") }
        #expect(jitFrame != nil, "\(frames.joined(separator: "\n"))")
        if let jitFrame, let protect { #expect(protect < jitFrame, "the C protect point is above the JIT frame") }
    }
}
