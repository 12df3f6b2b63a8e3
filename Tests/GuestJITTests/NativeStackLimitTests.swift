import GuestJIT
import GuestVM
import Testing

/// A cached call keeps 16 bytes of native stack until its callee returns, so the cached path stops at the
/// execution context's native stack limit: past it, calls go through the send helper, whose callees run on
/// their caller's native stack level (they return indirectly), and deep recursion never reaches a guard page.
@Suite("Cached calls stop growing the native stack at its limit", .serialized)
struct NativeStackLimitTests {
    @Test func callsPastTheNativeStackLimitReturnIndirectly() throws {
        let run = try GuestRun(jit: GuestRun.eager)
        let source = """
        def sum(n)
          if n == 0
            0
          else
            sum(n - 1) + n
          end
        end
        sum(10)
        before = JIT.stat(:indirect_return_count)
        p sum(30000)
        p JIT.stat(:indirect_return_count) - before
        """
        // 256 KiB of native stack below this frame: room for at most 16,384 paired calls (16 bytes each),
        // fewer by what the Swift frames down to the JIT entry take (more in debug builds), not 30,000.
        let room = 256 * 1024
        var marker = 0
        let here = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        run.vm.mainContext!.nativeStackLimit = here - UInt(room)
        let lines = try run.run(source).split(separator: "\n")
        #expect(lines.first == "450015000")
        let indirect = try #require(lines.count == 2 ? Int(lines[1]) : nil)
        // The calls past the limit (at least the 13,616 that cannot fit) were made by the helper.
        #expect(indirect >= 30_000 - room / 16 && indirect < 30_000, "\(indirect) indirect returns")
    }

    @Test func runawayRecursionInAFiberRaisesTheGuestStackError() throws {
        // A fiber's small native stack (1 MiB) holds compiled recursion up to its frame limit, where the
        // guest's stack error is raised and rescued in the fiber.
        let outcome = try JitstackProcess.locate().run("""
        def down(n)
          down(n + 1) + 1
        end
        f = Fiber.new do
          begin
            down(0)
          rescue SystemStackError => e
            e.message
          end
        end
        p f.resume
        t = Thread.new do
          begin
            down(0)
          rescue SystemStackError => e
            e.message
          end
        end
        p t.value
        """, flags: ["--call-threshold", "1"])
        #expect(!outcome.signaled && outcome.status == 0, "\(outcome.summary)")
        #expect(outcome.programLines.filter { !$0.isEmpty } == ["\"stack level too deep\"", "\"stack level too deep\""])
    }
}
