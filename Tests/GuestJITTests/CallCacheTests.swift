@testable import GuestJIT
import Testing

@Suite("Send sites cache their callee without baking it into the caller", .serialized)
struct CallCacheTests {
    @Test func churnLoopRedefiningItsCalleeNeverRecompilesTheLoop() throws {
        let source = """
        def value; 0; end
        def churn(n)
          sum = 0
          i = 0
          while i < n
            eval("def value; #{i}; end", TOPLEVEL_BINDING)
            sum = sum + value + value
            i += 1
          end
          sum
        end
        p churn(300)
        """
        let (expected, _) = try GuestRun.output(source, jit: nil)
        let (got, jit) = try GuestRun.output(source, jit: GuestRun.eager)
        #expect(got == expected)
        let stats = try #require(jit)
        // 300 definitions of `value` are compiled, but `churn`'s blocks only once (a handful of versions).
        #expect(stats.stat("compiled_iseq_count")! >= 300)
        #expect(stats.stat("compiled_block_count")! < 300 + 30)
    }

    @Test func cachedCallSeesAReceiverOfAnotherClassAndAMethodAddedLater() throws {
        let source = """
        class A; def name; "a"; end; end
        class B; def name; "b"; end; end
        def call_name(x); x.name; end
        def run(objs)
          out = []
          i = 0
          while i < objs.size
            out << call_name(objs[i])
            i += 1
          end
          out
        end
        p run([A.new, A.new, B.new, A.new])
        class A; def name; "a2"; end; end
        p run([A.new, B.new])
        """
        let (expected, _) = try GuestRun.output(source, jit: nil)
        let (got, _) = try GuestRun.output(source, jit: GuestRun.eager)
        #expect(got == expected)
        #expect(got.contains("\"a2\""))
    }

    /// A call to compiled code reads its record's class, serial, entry, stack reserve and extra-locals words
    /// (`SharedCode.emitCachedSend`): all in the record's first cache line, so a cached call misses at most
    /// once on a record (2,000 methods round-robin: one D1 miss fewer per compiled call in cachegrind).
    @Test func theWordsACachedCallReadsLieInOneCacheLine() {
        let record = CallCache.allocate()
        defer { record.deallocate() }
        #expect(UInt(bitPattern: record) % 64 == 0)
        for offset in [CallCache.klass, CallCache.serial, CallCache.entry, CallCache.reserveBytes, CallCache.extraLocals] {
            #expect(offset + 8 <= 64, "offset \(offset)")
        }
        let all = [CallCache.klass, CallCache.serial, CallCache.entry, CallCache.reserveBytes, CallCache.extraLocals,
                   CallCache.code, CallCache.iseq, CallCache.methodEntry, CallCache.cref, CallCache.spBytes,
                   CallCache.callSite, CallCache.nextPC, CallCache.argcBytes, CallCache.interpretedCallsLeft,
                   CallCache.interpretedCalls]
        #expect(Set(all).count == all.count && all.allSatisfy { $0 % 8 == 0 && $0 + 8 <= CallCache.size })
    }
}
