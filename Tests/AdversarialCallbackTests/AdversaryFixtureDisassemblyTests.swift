import Foundation
import Testing

/// The suite is only adversarial if its C fixtures really run without a frame pointer (SwiftPM appends
/// -fno-omit-frame-pointer; the target adds -mframe-pointer=none), and its ground truth is only right if
/// they leave rbp alone except where the garbage-rbp fixture fills it on purpose. Checked on the machine
/// code linked into the probe.
@Suite("Adversarial fixtures are compiled without frame pointers")
struct AdversaryFixtureDisassemblyTests {
    static let cfuncs = ["adv_gc", "adv_discard_all", "adv_remove_and_gc", "adv_redefine_and_gc", "adv_enable_and_gc", "adv_call",
                         "adv_gc_and_raise", "adv_fiber_yield", "adv_fiber_resume", "adv_call_with_garbage_rbp",
                         "garbage_call_back"]

    @Test("Fixture cfuncs never set up rbp, keep locals on rsp and only ever read rbp", arguments: cfuncs)
    func cfuncLeavesRBPAlone(symbol: String) throws {
        let instructions = try disassembly(of: symbol)
        #expect(!instructions.contains { $0.contains("%rsp,%rbp") }, "\(symbol) sets up an rbp frame")
        let touchingRBP = instructions.filter { $0.contains("%rbp") }
        let readsOnly = touchingRBP.allSatisfy { $0.range(of: #"mov\s+%rbp,%r[a-z0-9]+$"#, options: .regularExpression) != nil }
        #expect(readsOnly, "\(symbol) writes rbp:\n\(touchingRBP.joined(separator: "\n"))")
        if symbol != "garbage_call_back" {
            #expect(instructions.contains { $0.range(of: #"sub\s+\$0x[0-9a-f]+,%rsp"#, options: .regularExpression) != nil },
                    "\(symbol) has no stack frame of its own")
        }
    }

    @Test("The garbage-rbp fixture saves rbp, loads garbage, calls back and restores it, in an aligned frame")
    func garbageFixtureUsesRBPAsAGeneralRegister() throws {
        let instructions = try disassembly(of: "call_with_garbage_rbp")
        let push = try #require(instructions.firstIndex { $0.hasSuffix("push   %rbp") })
        let load = try #require(instructions.firstIndex { $0.contains("movabs $0x5a5a5a5a5a5a5a5a,%rbp") })
        let call = try #require(instructions.firstIndex { $0.contains("call   *") })
        let pop = try #require(instructions.firstIndex { $0.hasSuffix("pop    %rbp") })
        #expect(push < load && load < call && call < pop)
        #expect(!instructions.contains { $0.contains("%rsp,%rbp") })
        // A frame of its own before the asm (a real call makes it no leaf: nothing in the red zone).
        #expect(instructions[..<push].contains { $0.range(of: #"sub\s+\$0x[0-9a-f]+,%rsp"#, options: .regularExpression) != nil })
    }

    /// The instruction lines of `symbol` in the probe binary.
    private func disassembly(of symbol: String) throws -> [String] {
        let probe = try AdversaryProbe.locate()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["objdump", "-d", "--no-show-raw-insn", "--disassemble=\(symbol)", probe.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).filter { $0.contains(":\t") }
        try #require(!lines.isEmpty, "objdump found no code for \(symbol)")
        return lines.map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
