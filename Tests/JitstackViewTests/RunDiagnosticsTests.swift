import Foundation
import Testing

/// `jitstack run --perf-map` and `--dump-stacks-on-gc`.
@Suite struct RunDiagnosticsTests {
    @Test func perfMapNamesEveryBlockAndAddsANewLineWhenAFreedAddressIsReused() throws {
        // 200 versions of `m` fill far more than the 3 code pages of a 16 KiB region: full pages are collected
        // and their addresses reused.
        let program = "i = 0; while i < 200; eval(\"def m; #{i}; end\"); m; i += 1; end; puts i"
        let outcome = try JitstackProcess.run(["run", "--perf-map", "--call-threshold", "1", "--page-size", "4K",
                                               "--code-region", "16K", "-e", program])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == "200\n")
        let path = "/tmp/perf-\(outcome.processID).map"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        var namesByStart: [String: [String]] = [:]
        for line in lines {
            let fields = line.split(separator: " ", maxSplits: 2)
            #expect(fields.count == 3)
            #expect(UInt(fields[0], radix: 16) != nil && UInt(fields[1], radix: 16) != nil, "\(line)")
            #expect(fields[2].hasPrefix("jit:"))
            namesByStart[String(fields[0]), default: []].append(String(fields[2]))
        }
        #expect(lines.filter { $0.hasSuffix("jit:m pc 0...2") }.count == 200, "one line per compiled m")
        #expect(namesByStart.values.contains { $0.count >= 2 }, "a reused address has a later line")
    }

    @Test func jitdumpHasAHeaderAndOneCodeLoadPerBlockWithItsBytesAndLaterRecordsForReusedAddresses() throws {
        let program = "i = 0; while i < 200; eval(\"def m; #{i}; end\"); m; i += 1; end; puts i"
        let outcome = try JitstackProcess.run(["run", "--jitdump", "--call-threshold", "1", "--page-size", "4K",
                                               "--code-region", "16K", "-e", program])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let path = "/tmp/jit-\(outcome.processID).dump"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * $1) } }
        func u64(_ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * $1) } }
        try #require(bytes.count >= 40)
        #expect(u32(0) == 0x4A69_5444, "JiTD magic")
        #expect(u32(4) == 1 && u32(8) == 40 && u32(12) == 62)
        #expect(u32(20) == UInt32(outcome.processID))
        var offset = 40
        var loads: [(address: UInt64, time: UInt64, name: String)] = []
        while offset + 16 <= bytes.count {
            let id = u32(offset), size = Int(u32(offset + 4))
            try #require(size >= 56 && offset + size <= bytes.count, "record at \(offset)")
            #expect(id == 0, "JIT_CODE_LOAD")
            let codeSize = Int(u64(offset + 40))
            let nameStart = offset + 56
            let nameEnd = try #require(bytes[nameStart...].firstIndex(of: 0))
            #expect(nameEnd + 1 + codeSize == offset + size, "the code bytes end the record")
            loads.append((u64(offset + 24), u64(offset + 8), String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self)))
            offset += size
        }
        #expect(offset == bytes.count)
        #expect(loads.filter { $0.name == "jit:m pc 0...2" }.count == 200)
        #expect(zip(loads, loads.dropFirst()).allSatisfy { $0.time <= $1.time }, "records in time order")
        #expect(Dictionary(grouping: loads, by: \.address).values.contains { $0.count >= 2 }, "a reused address has a later record")
    }

    @Test func dumpStacksOnGCPrintsAStackDumpAtEachCollectionToStderr() throws {
        let program = "def g; JIT.code_gc; end; def h; g; end; h; h; puts 1"
        let outcome = try JitstackProcess.run(["run", "--dump-stacks-on-gc", "--call-threshold", "1", "-e", program])
        #expect(outcome.status == 0)
        #expect(outcome.stdout == "1\n")
        #expect(outcome.stderr.contains("== stack dump 1 (code GC #1, requested): 1 execution context"))
        #expect(outcome.stderr.contains("== stack dump 2 (code GC #2, requested)"))
        #expect(outcome.stderr.range(of: #"0x[0-9a-f]+ JIT +g pc 0\.\.\.\d+ (\(resumes at pc \d+\) )?live, page \d+"#,
                                     options: .regularExpression) != nil)

        let json = try JitstackProcess.run(["run", "--dump-stacks-on-gc", "--json", "--call-threshold", "1", "-e", program])
        let dumps = try json.stderr.split(separator: "\n").map { try JitstackProcess.json(String($0)) }
        #expect(dumps.map { $0["trigger"] as? String } == ["code GC #1, requested", "code GC #2, requested"])
    }
}
