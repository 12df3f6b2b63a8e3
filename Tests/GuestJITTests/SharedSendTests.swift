import GuestJIT
import Testing

/// Send sites are a few bytes that call `SharedCode.send`: the cached call, the helper call and the
/// return point behave as when every site carried its own copy, and a site stays small.
@Suite("Send sites call one shared send routine", .serialized)
struct SharedSendTests {
    /// A method of `count` sends of a one-argument method, each assigning a local.
    static func manySends(_ count: Int) -> String {
        var lines = ["def m(x)\n  x\nend", "def run(x)"]
        for _ in 0..<count { lines.append("  x = m(x)") }
        lines.append("  x\nend\np run(7)")
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func aSendStatementCostsAtMostSixtyFourInlineBytes() throws {
        let (fewOutput, few) = try GuestRun.output(Self.manySends(10), jit: GuestRun.eager)
        let (manyOutput, many) = try GuestRun.output(Self.manySends(210), jit: GuestRun.eager)
        #expect(fewOutput == "7\n" && manyOutput == "7\n")
        let fewBytes = try #require(few?.stat("inline_code_size"))
        let manyBytes = try #require(many?.stat("inline_code_size"))
        // putself, getlocal, the send site and setlocal: the site is lea + movabs + call + return point.
        let perStatement = Double(manyBytes - fewBytes) / 200
        #expect(perStatement <= 64, "\(perStatement) inline bytes per `x = m(x)`")
        let fewOutlined = try #require(few?.stat("outlined_code_size"))
        let manyOutlined = try #require(many?.stat("outlined_code_size"))
        #expect(manyOutlined - fewOutlined <= 200 * 8, "send sites need no outlined code of their own")
    }

    @Test func cachedCallToAMethodThatRemovesItsCallerReturnsThroughTheExit() throws {
        // `outer`'s third call reaches `inner` through the filled call cache (frame pushed by the shared
        // routine, `jitReturn` its return point); `inner` removes `outer`, collects code and returns: the
        // return point was patched to an exit, and the collection kept the page (the frame's `jitReturn`).
        let source = """
        class Foo
        end
        DEF = "class Foo; def outer(k); r = inner(k); r + 1; end; end"
        class Foo
          def inner(k)
            if k % 3 == 2
              Foo.remove_method(:outer)
              JIT.code_gc
            end
            k * 2
          end
        end
        def driver(n)
          sum = 0
          i = 0
          while i < n
            eval(DEF, TOPLEVEL_BINDING) unless Foo.new.respond_to?(:outer)
            sum = sum + Foo.new.outer(i)
            i += 1
          end
          sum
        end
        p driver(30)
        p Foo.new.respond_to?(:outer)
        """
        let (expected, _) = try GuestRun.output(source, jit: nil)
        let (got, jit) = try GuestRun.output(source, jit: GuestRun.tiny)
        #expect(got == expected)
        #expect(expected == "900\nfalse\n")
        let stats = try #require(jit)
        #expect(stats.stat("invalidation_count")! >= 10)
        #expect(stats.stat("code_gc_count")! >= 10)
        #expect(stats.stat("conservative_stack_count") == 0)
    }

    @Test func helperCallThatCollectsFindsTheInvalidatedCallersReturnPointOnTheNativeStack() throws {
        // `eval` (a cfunc, called through the shared routine's helper call) removes its caller and collects.
        // Nothing but the native stack keeps the caller's block then: the walk must find, one rbp frame above
        // the helper's, the site's return point in the caller's own inline code, precisely.
        let source = """
        class Foo
        end
        DEF = "class Foo; def adversary(i); x = i + 1; eval(KILL, TOPLEVEL_BINDING); x * 10; end; end"
        KILL = "Foo.remove_method(:adversary); JIT.code_gc"
        def driver(n)
          sum = 0
          i = 0
          while i < n
            eval(DEF, TOPLEVEL_BINDING)
            sum = sum + Foo.new.adversary(i)
            i += 1
          end
          sum
        end
        p driver(20)
        """
        let (expected, _) = try GuestRun.output(source, jit: nil)
        let run = try GuestRun(jit: GuestRun.tiny)
        let jit = try #require(run.jit)
        jit.gc.recordsStackRoots = true
        var returnPointsInBlocks = 0
        var conservative = 0
        var seen: [[String]] = []
        jit.gc.collectionObserver = { [unowned jit] report in
            guard let roots = report.stackRoots else { return }
            conservative += roots.conservativeStackCount
            // A return address whose call instruction lies in a block's own code (not the shared page).
            if roots.nativeAddresses.contains(where: { jit.gc.block(containing: $0 - 1) != nil }) { returnPointsInBlocks += 1 }
            if seen.count < 3 { seen.append(roots.nativeAddresses.map { String($0, radix: 16) }) }
        }
        let got = try run.run(source)
        #expect(got == expected)
        #expect(expected == "2100\n")
        #expect(jit.stat("code_gc_count")! >= 20)
        #expect(returnPointsInBlocks >= 20, "collections that found a return point in a block's code; first walks found \(seen)")
        #expect(conservative == 0)
    }

    @Test func cachedCallsAndHelperCallsMixAtOneSiteAcrossReceiverClasses() throws {
        // One site sees two classes (the cache holds one: the other takes the helper), a cfunc, and a
        // stack deep enough to fail the shared routine's stack check and raise from the helper.
        let source = """
        class A; def v(x); x + 1; end; end
        class B; def v(x); x + 2; end; end
        def call_v(o, x); o.v(x); end
        def deep(n); n == 0 ? 0 : 1 + deep(n - 1); end
        def run(objs)
          s = 0
          i = 0
          while i < 300
            s = call_v(objs[i % 2], s)
            i += 1
          end
          s
        end
        p run([A.new, B.new])
        p [1, 2].size
        begin
          deep(1_000_000)
        rescue SystemStackError => e
          p e.class
        end
        p deep(100)
        """
        let (expected, _) = try GuestRun.output(source, jit: nil)
        let (got, _) = try GuestRun.output(source, jit: GuestRun.eager)
        #expect(got == expected)
        #expect(expected.hasPrefix("450\n2\nSystemStackError\n100\n"))
    }
}
