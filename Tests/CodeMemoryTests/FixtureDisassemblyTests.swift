import Foundation
import Testing

/// The walk tests are only adversarial if the C fixtures really run without a frame pointer: SwiftPM appends
/// -fno-omit-frame-pointer to every C target, so check the machine code, not the flags.
@Suite("C fixtures are compiled without frame pointers")
struct FixtureDisassemblyTests {
    @Test("Fixture functions keep locals on rsp and never set up rbp",
          arguments: ["fixture_call_next_without_frame_pointer", "fixture_walk_without_frame_pointer",
                      "fixture_walk_saved_context_without_frame_pointer"])
    func fixtureHasNoFramePointer(symbol: String) throws {
        // Resolve the link here: in objdump's process /proc/self/exe would be objdump.
        let testBinary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let listing = try disassemble(symbol: symbol, in: testBinary)
        let instructions = listing.split(separator: "\n").filter { $0.contains(":\t") }
        try #require(!instructions.isEmpty, "objdump found no code for \(symbol)")
        #expect(!instructions.contains { $0.contains("mov    %rsp,%rbp") }, "\(symbol) sets up rbp:\n\(listing)")
        #expect(instructions.contains { $0.range(of: #"sub    \$0x[0-9a-f]+,%rsp"#, options: .regularExpression) != nil },
                "\(symbol) has no stack frame of its own:\n\(listing)")
    }
}

/// `objdump -d --disassemble=<symbol>` of a binary.
private func disassemble(symbol: String, in binary: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["objdump", "-d", "--no-show-raw-insn", "--disassemble=\(symbol)", binary]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
