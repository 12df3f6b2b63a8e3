import GuestJIT
import Testing

/// Issue 5's steady state: many methods called round-robin with the region smaller than their code.
/// Evicting the least recently entered methods and compiling them again on their next calls would collect
/// and recompile forever; the policy must settle (a compiled part that fits, an interpreted rest), and still
/// give the region to other code once the working set changes.
@Suite("Eviction keeps the code in use and does not thrash", .serialized)
struct EvictionHysteresisTests {
    static let methods = 300
    static let pageSize = 4 << 10
    static let stats = ["code_gc_count", "compiled_iseq_count", "evicted_iseq_count", "live_page_count"]

    /// Two sets of `methods` methods (m and n), a driver per set calling each of its methods once per round,
    /// and `phases` run in order: (set, rounds, label), printing the stats after each. The loops calling the
    /// drivers run once per phase, so they stay interpreted (no compiled code that falls out of use).
    static func program(_ phases: [(set: String, rounds: Int, label: String)]) -> String {
        // (`m5` and `n5` have the same bytecode: the runs below compile each method on its own, or the two
        // sets would share their code and never compete for the region.)
        var lines: [String] = []
        for set in ["m", "n"] {
            lines += (0..<methods).map { "def \(set)\($0)(x)\n  x + \($0)\nend" }
            lines.append("def round_\(set)(x)")
            lines += (0..<methods).map { "  x = \(set)\($0)(x) - \($0)" }
            lines.append("  x\nend")
            lines.append("""
            def rounds_\(set)(n, x)
              i = 0
              while i < n
                x = round_\(set)(x) + 1
                i += 1
              end
              x
            end
            """)
        }
        lines.append("x = 0")
        for phase in phases {
            lines.append("x = rounds_\(phase.set)(\(phase.rounds), x)")
            lines += stats.map { "puts \"\(phase.label) \($0) \" + JIT.stat(:\($0)).to_s" }
        }
        lines.append("p x")
        return lines.joined(separator: "\n") + "\n"
    }

    static func stat(_ output: String, _ phase: String, _ name: String) -> Int? {
        let prefix = "\(phase) \(name) "
        return output.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Int($0.dropFirst(prefix.count)) }
    }

    @Test func cyclicWorkingSetLargerThanTheRegionSettlesAndAChangedWorkingSetTakesTheRegionOver() throws {
        let backoff = 40
        let phases: [(set: String, rounds: Int, label: String)] = [
            ("m", 10, "warm"), ("m", 200, "steady"), ("n", 300, "switch"), ("n", 100, "settled"), ("m", 300, "back"),
        ]
        let source = Self.program(phases)
        // The region: 80% of the code the m set compiles when nothing limits it.
        let (unlimitedOutput, _) = try GuestRun.output(
            source, jit: JITConfiguration(callThreshold: 2, regionSize: 64 << 20, pageSize: Self.pageSize, evictionBackoff: backoff,
                                          sharesCode: false))
        let mPages = try #require(Self.stat(unlimitedOutput, "steady", "live_page_count"))
        #expect(Self.stat(unlimitedOutput, "back", "code_gc_count") == 0)
        let region = mPages * 8 / 10 * Self.pageSize
        let (output, jit) = try GuestRun.output(
            source, jit: JITConfiguration(callThreshold: 2, regionSize: region, pageSize: Self.pageSize, evictionBackoff: backoff,
                                          sharesCode: false))
        _ = try #require(jit)
        func value(_ phase: String, _ name: String) -> Int { Self.stat(output, phase, name) ?? -1 }
        // Same answer, computed partly interpreted.
        #expect(output.split(separator: "\n").last == unlimitedOutput.split(separator: "\n").last)
        // The m set does not fit: what was compiled in the first rounds stays, the rest stays interpreted.
        // 200 more rounds (compilations retried every `backoff` calls, each failing) evict and compile nothing.
        #expect(value("warm", "compiled_iseq_count") < Self.methods, "\(output)")
        #expect(value("steady", "evicted_iseq_count") == value("warm", "evicted_iseq_count"), "\(output)")
        #expect(value("steady", "compiled_iseq_count") == value("warm", "compiled_iseq_count"), "\(output)")
        #expect(value("steady", "code_gc_count") - value("warm", "code_gc_count") <= 12, "\(output)")
        // The working set changes: the m code is no longer entered, turns cold and makes room for n code.
        #expect(value("switch", "evicted_iseq_count") > value("steady", "evicted_iseq_count"), "\(output)")
        #expect(value("switch", "compiled_iseq_count") - value("steady", "compiled_iseq_count") >= Self.methods / 4, "\(output)")
        // ...and settles again: nothing more is evicted (a method retrying may still find room left free).
        #expect(value("settled", "evicted_iseq_count") == value("switch", "evicted_iseq_count"), "\(output)")
        #expect(value("settled", "compiled_iseq_count") - value("switch", "compiled_iseq_count") < Self.methods / 20, "\(output)")
        // Evicted methods are not banished: when the m set runs again, its methods are compiled again.
        #expect(value("back", "compiled_iseq_count") - value("settled", "compiled_iseq_count") >= Self.methods / 4, "\(output)")
    }
}
