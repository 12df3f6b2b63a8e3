import GuestJIT
import Testing

/// Issue 5's steady state: many methods called round-robin with the region smaller than their code.
/// Evicting the least recently entered methods and compiling them again on their next calls would collect
/// several times per round forever; the hysteresis (evicted methods stay interpreted until they earn
/// recompilation, running methods are never evicted) must make the run settle.
@Suite("Eviction does not thrash a cyclic working set larger than the region", .serialized)
struct EvictionHysteresisTests {
    static let methods = 400
    static let pageSize = 4 << 10

    /// `methods` methods, a driver calling each once per round, `warmup` rounds, then stats, `steady`
    /// more rounds, stats again, then `late` rounds (enough for evicted methods to earn recompilation).
    static func program(warmup: Int, steady: Int, late: Int) -> String {
        var lines = (0..<methods).map { "def m\($0)(x)\n  x + \($0)\nend" }
        lines.append("def round(x)")
        lines += (0..<methods).map { "  x = m\($0)(x) - \($0)" }
        lines.append("  x\nend")
        let stats = ["code_gc_count", "compiled_iseq_count", "evicted_iseq_count"]
        lines.append("""
        def rounds(n, x)
          i = 0
          while i < n
            x = round(x) + 1
            i += 1
          end
          x
        end
        rounds(0, 0)
        rounds(0, 0)
        x = rounds(\(warmup), 0)
        \(stats.map { "puts \"warm \($0) \" + JIT.stat(:\($0)).to_s" }.joined(separator: "\n"))
        x = rounds(\(steady), x)
        \(stats.map { "puts \"steady \($0) \" + JIT.stat(:\($0)).to_s" }.joined(separator: "\n"))
        x = rounds(\(late), x)
        puts "late compiled_iseq_count " + JIT.stat(:compiled_iseq_count).to_s
        p x
        """)
        return lines.joined(separator: "\n") + "\n"
    }

    static func stat(_ output: String, _ phase: String, _ name: String) -> Int? {
        let prefix = "\(phase) \(name) "
        return output.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Int($0.dropFirst(prefix.count)) }
    }

    @Test func regionAtEightyPercentOfTheCodeStopsCollectingOnceEvictedMethodsStayInterpreted() throws {
        let source = Self.program(warmup: 10, steady: 30, late: 120)
        let backoff = 60
        // The code the program compiles when nothing limits it.
        let (unlimitedOutput, unlimitedJIT) = try GuestRun.output(
            source, jit: JITConfiguration(callThreshold: 2, regionSize: 64 << 20, pageSize: Self.pageSize, evictionBackoff: backoff))
        let unlimited = try #require(unlimitedJIT)
        let livePages = try #require(unlimited.stat("live_page_count"))
        #expect(unlimited.stat("code_gc_count") == 0)
        let region = livePages * 8 / 10 * Self.pageSize
        let (output, limitedJIT) = try GuestRun.output(
            source, jit: JITConfiguration(callThreshold: 2, regionSize: region, pageSize: Self.pageSize, evictionBackoff: backoff))
        _ = try #require(limitedJIT)
        // Same answer, computed partly interpreted.
        #expect(output.split(separator: "\n").last == unlimitedOutput.split(separator: "\n").last)
        // Live code overflowed, so the policy had to evict during warm-up...
        let evicted = try #require(Self.stat(output, "warm", "evicted_iseq_count"))
        #expect(evicted > 0, "\(output)")
        // ...and then 30 rounds (fewer calls than the backoff) ran without collecting, evicting or compiling.
        #expect(Self.stat(output, "steady", "code_gc_count") == Self.stat(output, "warm", "code_gc_count"), "\(output)")
        #expect(Self.stat(output, "steady", "evicted_iseq_count") == evicted, "\(output)")
        #expect(Self.stat(output, "steady", "compiled_iseq_count") == Self.stat(output, "warm", "compiled_iseq_count"),
                "\(output)")
        // Evicted methods are not banished: past their backoff they are compiled again.
        let late = try #require(Self.stat(output, "late", "compiled_iseq_count"))
        #expect(late > Self.stat(output, "steady", "compiled_iseq_count") ?? late, "\(output)")
    }
}
