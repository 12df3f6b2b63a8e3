import Testing

/// Cached calls keep their return point on the native stack, so a compiled `leave` returns with `ret`
/// (predicted by the CPU) on the frame's own native-stack level, and through `jitReturn` otherwise
/// (counted by `indirect_return_count`). These run in a child `jitstack`: a wrong `ret` would crash it.
@Suite("Compiled returns pair with the calls that made them", .serialized)
struct PairedReturnTests {
    static let recursion = """
    def sum(n)
      if n == 0
        0
      else
        sum(n - 1) + n
      end
    end
    """

    static func run(_ source: String, flags: [String] = ["--call-threshold", "1"]) throws -> JitstackProcess.Outcome {
        try JitstackProcess.locate().run(source, flags: flags)
    }

    @Test func deepRecursionReturnsWithRetWithoutIndirectReturns() throws {
        // The first run fills the call cache (the helper pushes that callee: it returns indirectly); the
        // second makes 5,000 cached calls, and every one returns paired.
        let outcome = try Self.run("""
        \(Self.recursion)
        sum(10)
        before = JIT.stat(:indirect_return_count)
        p sum(5000)
        puts "stat indirect " + (JIT.stat(:indirect_return_count) - before).to_s
        """)
        #expect(!outcome.signaled && outcome.status == 0, "\(outcome.summary)")
        #expect(outcome.programLines.first == "12502500")
        let indirect = try #require(outcome.stat("indirect"))
        #expect(indirect <= 2, "\(indirect) of 5,000 returns took the indirect path")
    }

    @Test func framesReenteredAfterASideExitAtTheBottomReturnIndirectly() throws {
        // At the bottom `bottom + bottom` side-exits (Strings): the exit drops the native stack with every
        // paired return address on it. The interpreter finishes the bottom frame and re-enters each caller
        // at its `jitReturn`, on a fresh trampoline level: each compiled `leave` must see that its level is
        // gone and return through `jitReturn`, and the next recursion pairs again.
        let outcome = try Self.run("""
        def walk(n, bottom)
          if n == 0
            x = bottom + bottom
            0
          else
            walk(n - 1, bottom) + 1
          end
        end
        walk(10, 1)
        before = JIT.stat(:indirect_return_count)
        exits = JIT.stat(:side_exit_count)
        p walk(3000, "s")
        puts "stat indirect " + (JIT.stat(:indirect_return_count) - before).to_s
        puts "stat exits " + (JIT.stat(:side_exit_count) - exits).to_s
        before = JIT.stat(:indirect_return_count)
        p walk(3000, 2)
        puts "stat again " + (JIT.stat(:indirect_return_count) - before).to_s
        """)
        #expect(!outcome.signaled && outcome.status == 0, "\(outcome.summary)")
        #expect(outcome.programLines.filter { !$0.isEmpty } == ["3000", "3000"])
        #expect(outcome.stat("exits") ?? 0 >= 1)
        // Every caller above the bottom was re-entered and returned through `jitReturn`.
        #expect(outcome.stat("indirect") ?? 0 >= 2999, "indirect \(outcome.stat("indirect") ?? -1)")
        #expect(outcome.stat("again") ?? 99 <= 2, "again \(outcome.stat("again") ?? -1)")
    }

    @Test func discardAllAtTheBottomOfAPairedRecursionReturnsThroughTheInterpreter() throws {
        // `JIT.discard_all` clears every frame's `jitReturn` while 2,000 paired return addresses are on the
        // native stack: a `leave` must not `ret` to them (their code is being freed) but exit.
        let outcome = try Self.run("""
        def deep(n, target)
          if n == 0
            target.discard_all
            0
          else
            deep(n - 1, target) + n
          end
        end
        class KeepAll
          def discard_all; end
        end
        p deep(2000, KeepAll.new)
        p deep(2000, JIT)
        JIT.code_gc
        p deep(2000, KeepAll.new)
        """)
        #expect(!outcome.signaled && outcome.status == 0, "\(outcome.summary)")
        #expect(outcome.programLines.filter { !$0.isEmpty } == ["2001000", "2001000", "2001000"])
    }

    @Test func aRaiseThroughPairedFramesLeavesLaterCallsPaired() throws {
        // The raise leaves JIT code through the trampoline's epilogue, which drops the levels of the 1,000
        // frames it unwinds; the rescuing method then makes paired calls from a fresh activation.
        let outcome = try Self.run("""
        def boom(n)
          if n == 0
            raise "bottom"
          else
            boom(n - 1) + 1
          end
        end
        \(Self.recursion)
        def guarded(n)
          begin
            boom(n)
          rescue => e
            e.message + " " + sum(n).to_s
          end
        end
        boom(3) rescue nil
        sum(3)
        p guarded(1000)
        before = JIT.stat(:indirect_return_count)
        p guarded(1000)
        p sum(1000)
        puts "stat indirect " + (JIT.stat(:indirect_return_count) - before).to_s
        """)
        #expect(!outcome.signaled && outcome.status == 0, "\(outcome.summary)")
        #expect(outcome.programLines.filter { !$0.isEmpty } == ["\"bottom 500500\"", "\"bottom 500500\"", "500500"])
        #expect(outcome.stat("indirect") ?? 99 <= 4, "indirect \(outcome.stat("indirect") ?? -1)")
    }
}
