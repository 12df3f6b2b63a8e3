import GuestVM
import Testing

/// Guest fibers: values across resume/yield, dead fibers, exceptions leaving a fiber, many suspended
/// fibers and what the VM exposes of them (execution contexts, saved native contexts).
@Suite struct FiberTests {
    @Test func firstResumePassesBlockArgumentsAndLaterResumesBecomeYieldValues() throws {
        let out = try guestOutput("""
        f = Fiber.new do |a, b|
          got = Fiber.yield(a * b)
          more = Fiber.yield(got + 1)
          [got, more]
        end
        p f.resume(6, 7)
        p f.resume(10)
        p f.resume(:x, :y)
        """)
        #expect(out == "42\n11\n[10, [:x, :y]]\n")
    }

    @Test func resumingAFinishedFiberRaisesFiberError() throws {
        let out = try guestOutput("""
        f = Fiber.new { :once }
        p f.resume
        p f.alive?
        begin
          f.resume
        rescue FiberError => e
          puts e.message
        end
        """)
        #expect(out == ":once\nfalse\nattempt to resume a terminated fiber\n")
    }

    @Test func yieldOutsideAnyFiberRaisesFiberError() throws {
        let out = try guestOutput("""
        begin
          Fiber.yield 1
        rescue FiberError => e
          puts e.message
        end
        """)
        #expect(out == "attempt to yield on a not resumed fiber\n")
    }

    @Test func unrescuedExceptionInFiberPropagatesOutOfResume() throws {
        let h = GuestHarness()
        let out = try h.output(of: """
        def deep(n)
          n == 0 ? raise(ArgumentError, "from fiber") : deep(n - 1)
        end
        f = Fiber.new { Fiber.yield 1; deep(5) }
        p f.resume
        begin
          f.resume
        rescue ArgumentError => e
          puts e.message
        end
        p f.alive?
        """)
        #expect(out == "1\nfrom fiber\nfalse\n")
        // The finished fiber's context is gone: only the main one remains.
        #expect(h.vm.executionContexts.count == 1)
    }

    @Test func thousandSuspendedFibersAreEnumeratedWithTheirStacksAndFinish() throws {
        let h = GuestHarness()
        _ = try h.output(of: """
        $fibers = []
        1000.times { $fibers << Fiber.new { |k| Fiber.yield(k * 2); k + 1 } }
        $fibers.each_with_index { |f, i| f.resume(i) }
        """)
        #expect(h.vm.suspendedFiberCount == 1000)
        #expect(h.vm.executionContexts.count == 1001)
        var stacks: [Range<UInt>] = []
        h.vm.forEachSuspendedFiber { context, stack in
            let address = UInt(bitPattern: context)
            // The context was saved by the switch on the fiber's own stack or in its heap record: either
            // way it is distinct per fiber and the stack is a real, non-empty range.
            #expect(address != 0 && !stack.isEmpty)
            stacks.append(stack)
        }
        #expect(stacks.count == 1000)
        #expect(Set(stacks.map(\.lowerBound)).count == 1000)
        // Every suspended fiber's frames are walked with the rest (its block frame plus Fiber.yield's).
        var frames = 0
        h.vm.forEachFrame { context, _ in if context !== h.vm.mainContext { frames += 1 } }
        #expect(frames == 2000)
        let out = try h.output(of: """
        diffs = []
        alive = 0
        $fibers.each_with_index { |f, i| diffs << f.resume - i }
        $fibers.each { |f| alive += 1 if f.alive? }
        p diffs.uniq, alive
        """)
        #expect(out == "[1]\n0\n")
        #expect(h.vm.suspendedFiberCount == 0)
        #expect(h.vm.executionContexts.count == 1)
    }

    @Test func objectCollectionKeepsSuspendedFiberValuesAndFreesUnreachableFibers() throws {
        let h = GuestHarness()
        _ = try h.output(of: """
        $kept = Fiber.new do
          s = "kept " + "alive"
          Fiber.yield 1
          s + "!"
        end
        $kept.resume
        3.times { Fiber.new { Fiber.yield 0 }.resume }
        """)
        #expect(h.vm.suspendedFiberCount == 4)
        #expect(h.vm.collectGarbage(h.vm.mainContext))
        #expect(h.vm.suspendedFiberCount == 1)
        #expect(h.vm.executionContexts.count == 2)
        #expect(try h.output(of: "p $kept.resume") == "\"kept alive!\"\n")
    }
}
