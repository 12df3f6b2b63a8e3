import Foundation
import Testing
import TestSupport

/// `jitstack run --gdb`: GDB names the guest method's JIT frame in `bt` (the GDB JIT interface).
@Suite struct GDBBacktraceTests {
    static let gdb = ["/usr/bin/gdb", "/usr/local/bin/gdb"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Stops in `jr_unwind_backtrace`, a C function that `JIT.in_jit?` calls while compiled `probe` waits
    /// for it: JIT -> send helper -> cfunc -> C.
    @Test(.enabled(if: gdb != nil, "gdb is not installed"))
    func backtraceFromACFunctionCalledByJITCodeNamesTheGuestMethod() throws {
        let jitstack = try JitstackProcess.binary().path
        let outcome = try ChildProcess.run(Self.gdb!, [
            "-batch", "-nx", "-ex", "set complaints 0", "-ex", "set breakpoint pending on",
            "-ex", "break jr_unwind_backtrace", "-ex", "run", "-ex", "bt 40", "-ex", "kill",
            "--args", jitstack, "run", "--gdb", "--call-threshold", "1", "-e", "def probe; JIT.in_jit?; end; p probe",
        ], timeout: 240)
        let frames = outcome.stdout.split(separator: "\n").filter { $0.hasPrefix("#") }
        #expect(frames.first?.contains("jr_unwind_backtrace") == true, "\(outcome.stdout.suffix(2000))")
        let jitFrame = frames.firstIndex { $0.contains(" in jit:probe pc 0...") }
        let protect = frames.firstIndex { $0.contains("jr_protect_call") }
        #expect(jitFrame != nil, "\(frames.joined(separator: "\n"))")
        if let jitFrame, let protect { #expect(protect < jitFrame, "the C protect point is above the JIT frame") }
    }
}
