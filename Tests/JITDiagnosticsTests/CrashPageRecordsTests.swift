import CShims
import Testing
@testable import JITDiagnostics

/// What a crash report says a page holds: raw records stored at compile time, formatted only then.
@Suite("Crash reports' page records")
struct CrashPageRecordsTests {
    static func format(_ names: [CodeName]) -> String {
        var held = jr_crash_page_records()
        for name in names { name.withCrashRecordParts { jr_crash_records_add(&held, $0, $1, $2, $3, $4) } }
        var buffer = [CChar](repeating: 0, count: 512)
        let length = jr_crash_format_records(&held, &buffer, buffer.count)
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    @Test func aRecordReadsExactlyAsTheNameItsOutputsWouldWrite() {
        let names: [CodeName] = [
            .block("fib", pcs: 0...12), .block("block in each", pcs: 7...7, exits: true),
            .block("Foo#bar", pcs: 120...4096), .verbatim("jit:Doomed#method@pc0-2"), .verbatim("stub"),
        ]
        for name in names { #expect(Self.format([name]) == name.text) }
        #expect(CodeName.block("fib", pcs: 0...12).text == "jit:fib pc 0...12")
        #expect(CodeName.block("fib", pcs: 3...5, exits: true).text == "jit:fib pc 3...5 exits")
    }

    @Test func aPageListsNamesInOrderAndCountsWhatDoesNotFit() {
        #expect(Self.format([.verbatim("a"), .verbatim("b")]) == "a, b")
        let many = (0..<40).map { CodeName.block("Method\($0)", pcs: 0...9) }
        let text = Self.format(many)
        #expect(text.hasPrefix("jit:Method0 pc 0...9, jit:Method1 pc 0...9, "))
        let shown = text.components(separatedBy: ", ").count
        #expect(text.hasSuffix(" (+\(40 - shown) more)"), "\(text)")
        #expect(text.utf8.count <= Int(JR_CRASH_TEXT_BUDGET) + 16)
        // Names beyond the stored records are counted too.
        let few = Self.format((0..<9).map { CodeName.block("m", pcs: 0...$0) })
        #expect(few == "jit:m pc 0...0, jit:m pc 0...1, jit:m pc 0...2, jit:m pc 0...3, jit:m pc 0...4, jit:m pc 0...5 (+3 more)")
    }

    @Test func aLongNameIsCutToTheRecordCapacity() {
        let long = String(repeating: "x", count: 100)
        #expect(Self.format([.block(long, pcs: 1...2)]) == "jit:" + String(repeating: "x", count: Int(JR_CRASH_NAME_CAPACITY)) + " pc 1...2")
    }
}
