import Foundation

/// Runs llvm-mc (installed by `scripts/setup`) so encodings are checked against an independent
/// assembler. Every helper takes a whole batch of text and starts one process.
enum LLVMMC {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The encoding of each line of Intel-syntax assembly, in order (one instruction per line).
    static func encodings(of lines: [String]) throws -> [[UInt8]] {
        let source = ".intel_syntax noprefix\n" + lines.joined(separator: "\n") + "\n"
        let listing = try run(["-triple=x86_64", "-show-encoding"], source: source)
        var result: [[UInt8]] = []
        for line in listing.split(separator: "\n") {
            guard let open = line.range(of: "encoding: ["), let close = line[open.upperBound...].firstIndex(of: "]") else { continue }
            var bytes: [UInt8] = []
            for item in line[open.upperBound..<close].split(separator: ",") {
                guard item.hasPrefix("0x"), let byte = UInt8(item.dropFirst(2), radix: 16) else {
                    throw Failure(description: "unresolved fixup in llvm-mc encoding: \(line)")
                }
                bytes.append(byte)
            }
            result.append(bytes)
        }
        guard result.count == lines.count else {
            throw Failure(description: "llvm-mc produced \(result.count) encodings for \(lines.count) lines")
        }
        return result
    }

    /// The flat machine code of an Intel-syntax program whose labels llvm-mc resolves itself.
    static func assemble(_ program: String) throws -> [UInt8] {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let object = directory.appendingPathComponent("out.o")
        let flat = directory.appendingPathComponent("out.bin")
        _ = try run(["-triple=x86_64", "-filetype=obj", "-o", object.path], source: ".intel_syntax noprefix\n" + program + "\n")
        _ = try execute(["llvm-objcopy", "-O", "binary", "--only-section=.text", object.path, flat.path])
        return try [UInt8](Data(contentsOf: flat))
    }

    /// The instructions llvm-mc's disassembler decodes from `bytes`, one string each.
    static func disassemble(_ bytes: [UInt8]) throws -> [String] {
        let hex = bytes.map { String(format: "0x%02x", $0) }.joined(separator: " ")
        let listing = try run(["-triple=x86_64", "-disassemble", "-output-asm-variant=1"], source: hex + "\n")
        return listing.split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix(".") }
    }

    private static func run(_ arguments: [String], source: String) throws -> String {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.s")
        try source.write(to: input, atomically: false, encoding: .utf8)
        return try execute(["llvm-mc"] + arguments + [input.path])
    }

    /// Runs a tool with output and errors going to files, so a large listing cannot block on a pipe.
    private static func execute(_ command: [String]) throws -> String {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outURL = directory.appendingPathComponent("stdout")
        let errURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let output = try String(contentsOf: outURL, encoding: .utf8)
        let errors = try String(contentsOf: errURL, encoding: .utf8)
        guard process.terminationStatus == 0, errors.isEmpty || !errors.contains("error") else {
            throw Failure(description: "\(command.joined(separator: " ")) failed (\(process.terminationStatus)): \(errors)")
        }
        return output
    }

    private static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("x86asm-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
