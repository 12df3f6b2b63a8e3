import GuestJIT
import Testing

/// A block is registered only once every stub its branches need has room. A block whose last stub found
/// none used to be kept (and later entered) with that branch still on its placeholder jump to the exit
/// that assumes a helper wrote the frame's pc and sp: the interpreter then resumed a stale frame state.
@Suite("Blocks never run with a branch left without its stub", .serialized)
struct StubRoomTests {
    /// Forty small methods fill a 16 KiB region, so `sum_down`'s first compilation finds room for its
    /// entry block but not for every stub; its retry (after the eviction backoff) enters what compiled.
    static func program(depth: Int) -> String {
        var lines = (0..<40).map { "def f\($0)(x)\n  (x * \($0) + 3) % 1000003\nend" }
        lines.append("""
        def sum_down(n, acc)
          return acc if n <= 0
          sum_down(n - 1, (acc + n * 5) % 1000003)
        end
        """)
        lines.append((0..<40).map { "f\($0)(1)" }.joined(separator: "; "))
        lines.append("p sum_down(\(depth), 0)\np sum_down(\(depth), 0)\np sum_down(7, 0)")
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func aMethodCompiledInAFullRegionReturnsWhatTheInterpreterReturns() throws {
        let full = JITConfiguration(callThreshold: 1, regionSize: 16 << 10, pageSize: 4 << 10)
        for depth in [500, 1_000, 1_500] {
            let (expected, _) = try GuestRun.output(Self.program(depth: depth), jit: nil)
            let (got, jit) = try GuestRun.output(Self.program(depth: depth), jit: full)
            #expect(got == expected, "depth \(depth)")
            // The scenario really ran: the region was full when sum_down compiled.
            #expect(jit!.stat("region_full_count")! > 0)
        }
    }
}
