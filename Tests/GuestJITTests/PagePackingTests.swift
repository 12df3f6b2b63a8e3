import GuestJIT
import Testing

/// Issue 5's round-robin program on 4 KiB pages: a long driver (one send per line, ~10% outlined code)
/// and many tiny callees (~50% outlined). With fixed page halves its live pages were ~60% used.
@Suite("Compiled code packs its pages", .serialized)
struct PagePackingTests {
    static func roundRobin(methods: Int) -> String {
        var lines = (0..<methods).map { "def m\($0)(x)\n  x + \($0)\nend" }
        lines.append("def round(x)")
        lines += (0..<methods).map { "  x = m\($0)(x) - \($0)" }
        lines.append("  x\nend\nx = round(0)\nx = round(x)\np x")
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func roundRobinDriverAndCalleesFillTheirPages() throws {
        let source = Self.roundRobin(methods: 600)
        let (expected, _) = try GuestRun.output(source, jit: nil)
        let (got, jitOrNil) = try GuestRun.output(
            source, jit: JITConfiguration(callThreshold: 2, regionSize: 64 << 20, pageSize: 4 << 10))
        #expect(got == expected)
        let jit = try #require(jitOrNil)
        #expect(jit.stat("compiled_iseq_count") == 601)
        let code = try #require(jit.stat("inline_code_size")) + #require(jit.stat("outlined_code_size"))
        let pages = try #require(jit.stat("live_page_count"))
        // The per-instruction margins the compiler keeps free (a send's worth inline) bound what is reachable.
        #expect(Double(code) / Double(pages * 4096) >= 0.7, "\(code) bytes of code on \(pages) pages")
    }
}
