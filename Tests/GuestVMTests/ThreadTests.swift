import GuestVM
import Testing

/// Guest threads and mutexes in the interpreter: values, exceptions at join, mutual exclusion, errors,
/// and the object collector stopping the world while threads allocate.
@Suite("Guest threads and mutexes")
struct ThreadTests {
    @Test func threadsReturnTheirBlocksValuesAndReceiveTheirArguments() throws {
        let out = try guestOutput("""
        ts = [1, 2, 3].map { |k| Thread.new(k, k * 10) { |a, b| a + b } }
        p ts.map { |t| t.value }
        t = Thread.new { :done }
        p t.join == t
        p t.value
        p t.alive?
        """)
        #expect(out == "[11, 22, 33]\ntrue\n:done\nfalse\n")
    }

    @Test func anExceptionInAThreadIsReportedAndRaisedAgainByJoinAndValue() throws {
        let harness = GuestHarness()
        var errors = ""
        harness.vm.output.captureError = { errors += $0 }
        let out = try harness.output(of: """
        class Boom < StandardError; end
        t = Thread.new { raise Boom, "in thread" }
        begin
          t.join
        rescue Boom => e
          puts "join: " + e.message
        end
        begin
          t.value
        rescue => e
          puts "value: " + e.class.to_s
        end
        """)
        #expect(out == "join: in thread\nvalue: Boom\n")
        #expect(errors.contains("terminated with exception (report_on_exception is true):"))
        #expect(errors.contains("in `block in <main>': in thread (Boom)"))
    }

    @Test func aMutexMakesParallelIncrementsExact() throws {
        let out = try guestOutput("""
        m = Mutex.new
        counter = [0]
        ts = [0, 1, 2, 3].map do
          Thread.new do
            i = 0
            while i < 2000
              m.synchronize { counter[0] = counter[0] + 1 }
              i += 1
            end
          end
        end
        ts.each { |t| t.join }
        p counter[0]
        """)
        #expect(out == "8000\n")
    }

    @Test func mutexMisuseRaisesThreadErrorWithRubysMessages() throws {
        let out = try guestOutput("""
        m = Mutex.new
        p m.locked?
        p m.try_lock
        p m.owned?
        begin
          m.lock
        rescue ThreadError => e
          p e.message
        end
        p Thread.new { m.owned? }.value
        p Thread.new { m.try_lock }.value
        begin
          Thread.new { m.unlock }.join
        rescue ThreadError => e
          p e.message
        end
        m.unlock
        begin
          m.unlock
        rescue ThreadError => e
          p e.message
        end
        begin
          Thread.current.join
        rescue ThreadError => e
          p e.message
        end
        """)
        #expect(out == """
        false
        true
        true
        "deadlock; recursive locking"
        false
        false
        "Attempt to unlock a mutex which is locked by another thread/fiber"
        "Attempt to unlock a mutex which is not locked"
        "Target thread must not be current thread"

        """)
    }

    @Test func threadCurrentNamesEachThread() throws {
        let out = try guestOutput("""
        main = Thread.current
        p main == Thread.current
        t = Thread.new { Thread.current }
        p t.value == t
        p t.value == main
        """)
        #expect(out == "true\ntrue\nfalse\n")
    }

    @Test func fibersAreRefusedOffTheMainThreadWithAClearError() throws {
        let out = try guestOutput("""
        t = Thread.new do
          begin
            Fiber.new { 1 }
          rescue FiberError => e
            e.message
          end
        end
        p t.value
        """)
        #expect(out == "\"fibers are supported on the main thread only\"\n")
    }

    @Test func theObjectCollectorRunsWhileThreadsAllocateAndKeepsTheirObjects() throws {
        let harness = GuestHarness()
        harness.vm.heap.threshold = 2_000
        let out = try harness.output(of: """
        def build(k)
          a = []
          i = 0
          while i < 3000
            a << "s" + i.to_s
            i += 1
          end
          a[k] + "/" + a.size.to_s
        end
        ts = [0, 1, 2, 3].map { |k| Thread.new { r = []; 4.times { r << build(k) }; r.uniq } }
        p ts.map { |t| t.value }
        """)
        #expect(out == "[[\"s0/3000\"], [\"s1/3000\"], [\"s2/3000\"], [\"s3/3000\"]]\n")
        #expect(harness.vm.heap.collections > 0)
        #expect(harness.vm.safepointStatistics.stops > 0)
        #expect(harness.vm.runningThreadCount == 0)
    }
}
