import CodeGC
import Foundation
import TestSupport
import Testing
@testable import JITDiagnostics

/// One parsed `START SIZE name` line.
struct PerfMapLine: Equatable {
    var start: UInt
    var size: UInt
    var name: String

    static func parse(_ file: String) throws -> [PerfMapLine] {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        return try text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
            let fields = line.split(separator: " ", maxSplits: 2)
            try #require(fields.count == 3, "malformed line \(line)")
            let start = try #require(UInt(fields[0], radix: 16), "bad start in \(line)")
            let size = try #require(UInt(fields[1], radix: 16), "bad size in \(line)")
            return PerfMapLine(start: start, size: size, name: String(fields[2]))
        }
    }
}

func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(getpid())-\(UUID().uuidString)").path
}

@Suite("perf map")
struct PerfMapTests {
    @Test func defaultPathIsWherePerfLooksForThisProcess() {
        #expect(PerfMap.defaultPath() == "/tmp/perf-\(getpid()).map")
        #expect(PerfMap.defaultPath(processID: 42) == "/tmp/perf-42.map")
    }

    @Test func everyRecordedRangeHasOneParsableLineAfterFlush() throws {
        let path = temporaryPath("perfmap")
        defer { unlink(path) }
        let map = try PerfMap(path: path)
        let ranges: [Range<UInt>] = [0x1000..<0x1010, 0x7fff_0000_1234..<0x7fff_0000_2000, 0xabc0..<0xabc1]
        for (index, range) in ranges.enumerated() { try map.record(range, name: "jit:Foo#bar\(index)@pc0-\(index)") }
        try map.record(0x5000..<0x5000, name: "empty is skipped")
        #expect(try PerfMapLine.parse(path).isEmpty, "buffered until a safe point")
        try map.flush()
        let lines = try PerfMapLine.parse(path)
        #expect(lines == ranges.enumerated().map { PerfMapLine(start: $0.element.lowerBound, size: UInt($0.element.count), name: "jit:Foo#bar\($0.offset)@pc0-\($0.offset)") })
        #expect(map.entryCount == 3)
    }

    @Test func namesCannotBreakTheLineFormat() throws {
        let path = temporaryPath("perfmap")
        defer { unlink(path) }
        let map = try PerfMap(path: path)
        try map.record(0x10..<0x20, name: "two\nlines\tand tab")
        try map.flush()
        #expect(try PerfMapLine.parse(path) == [PerfMapLine(start: 0x10, size: 0x10, name: "two lines and tab")])
    }

    @Test func aLargeBufferIsWrittenWithoutAnExplicitFlush() throws {
        let path = temporaryPath("perfmap")
        defer { unlink(path) }
        let map = try PerfMap(path: path)
        var count = 0
        while (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 == 0 {
            try map.record(UInt(0x1000 + count * 16)..<UInt(0x1000 + count * 16 + 16), name: "jit:block\(count)")
            count += 1
            try #require(count < 100_000)
        }
        #expect(count > 1000, "64 KiB of lines were buffered first")
        #expect(try PerfMapLine.parse(path).count == count)
    }

    @Test func bufferedLinesAreWrittenWhenTheProcessExits() throws {
        let path = temporaryPath("perfmap-exit")
        defer { unlink(path) }
        let outcome = try ChildProcess.run(BuiltProduct.jitdiagProbe.located().path, ["perf-exit", path], timeout: 120)
        #expect(outcome.status == 0 && !outcome.signaled, "\(outcome.stderr)")
        #expect(try PerfMapLine.parse(path) == [
            PerfMapLine(start: 0x1000, size: 0x40, name: "jit:AtExit#one@pc0-4"),
            PerfMapLine(start: 0x2000, size: 0x10, name: "jit:AtExit#two@pc0-1"),
        ])
    }

    @Test func aFreedThenReusedPageGetsANewerEntryForTheSameAddress() throws {
        let path = temporaryPath("perfmap")
        defer { unlink(path) }
        let harness = try CodeHarness()
        let diagnostics = JITDiagnostics(space: harness.region, perfMap: try PerfMap(path: path))
        let first = try harness.compile(owner: 1)
        try diagnostics.didCompile(first.code, name: "jit:Old#gone@pc0-4")
        try harness.gc.collect()
        #expect(harness.freedPageBatches == [[first.page]])
        diagnostics.didFreePages(harness.freedPageBatches[0], gcNumber: harness.gc.stats.codeGCCount)
        let second = try harness.compile(owner: 2)
        #expect(second.page == first.page && second.code == first.code, "the freed page is reused first")
        try diagnostics.didCompile(second.code, name: "jit:New#here@pc0-4")
        try diagnostics.safePoint()

        let lines = try PerfMapLine.parse(path)
        let covering = lines.filter { $0.start <= second.code.lowerBound && second.code.upperBound <= $0.start + $0.size }
        #expect(covering.map(\.name) == ["jit:Old#gone@pc0-4", "jit:New#here@pc0-4"])
        #expect(covering.last?.name == "jit:New#here@pc0-4", "perf takes the last entry for an address")
    }
}
