@testable import GuestJIT
import CodeGC
import GuestVM
import Testing

/// Method bodies shared by ISEQs with the same bytecode (`SharedBodies`): reused only for exactly that
/// bytecode and local layout, never naming an address of one ISEQ, entries only while used, freed like
/// any code once unused, and forgotten when everything is invalidated.
@Suite("Shared method bodies", .serialized)
struct SharedBodyTests {
    private func liveISeqs(named name: String, in run: GuestRun) -> [ISeq] {
        run.vm.iseqs.liveISeqs().filter { $0.name == name && $0.kind == .method }
    }

    private func entry(of name: String, in run: GuestRun) throws -> UInt {
        let iseq = try #require(liveISeqs(named: name, in: run).first)
        return UInt(bitPattern: try #require(iseq.jitEntry))
    }

    @Test func theSeedChurnCompilesItsBodyOnceAndRunsEveryCallInIt() throws {
        let (out, jit) = try GuestRun.output("""
        300.times { eval("def test; 1; end", TOPLEVEL_BINDING); test() }
        puts "done"
        """, jit: GuestRun.tiny)
        #expect(out == "done\n")
        let stats = try #require(jit)
        #expect(stats.stat("compiled_iseq_count")! >= 300)
        #expect(stats.stat("shared_code_reuse_count")! == 299)
        // One shared block for `test` (the rest is the prelude's `times`), not one per definition.
        #expect(stats.stat("compiled_block_count")! <= 10)
        #expect(stats.stat("jit_entry_count")! >= 300)
    }

    @Test func definitionsReturningDifferentValuesNeverShareCode() throws {
        let source = """
        s = 0
        600.times { |i| eval("def test; #{i % 5}; end", TOPLEVEL_BINDING); s += test() }
        p s
        def pair(a, b); a; end
        def one(a); a; end
        p [pair(3, 4), one(5), pair(6, 7), one(8)]
        """
        let (expected, _) = try GuestRun.output(source, jit: nil)
        let (got, jit) = try GuestRun.output(source, jit: GuestRun.tiny)
        #expect(got == expected)
        #expect(expected == "1200\n[3, 5, 6, 8]\n")
        // Five bodies for `test`; `pair` and `one` have the same words but not the same locals.
        #expect(try #require(jit).stat("shared_code_reuse_count")! == 595)
    }

    @Test func sharedCodeNamesNoAddressOfAnyISeqThatUsesIt() throws {
        let run = try GuestRun(jit: GuestRun.eager)
        let jit = try #require(run.jit)
        let out = try run.run("""
        def first(a); a + 1; end
        def second(a); a + 1; end
        p first(1), second(2)
        """)
        #expect(out == "2\n3\n")
        let users = liveISeqs(named: "first", in: run) + liveISeqs(named: "second", in: run)
        #expect(users.count == 2)
        let entry = try self.entry(of: "first", in: run)
        #expect(try self.entry(of: "second", in: run) == entry)
        let body = try #require(jit.sharedBodies.all.first { $0.entry == entry })
        #expect(body.users.count == 2)
        let info = try #require(jit.gc.info(body.block))
        var words: [UInt] = []
        for range in info.ranges + info.references {
            let bytes = try jit.region.bytes(at: range.lowerBound, count: range.count)
            for offset in 0..<max(0, bytes.count - 7) {
                words.append((0..<8).reduce(UInt(0)) { $0 | UInt(bytes[offset + $1]) << (8 * $1) })
            }
        }
        for iseq in users {
            let code = UInt(bitPattern: iseq.code)
            let named = words.filter { $0 >= code && $0 < code + UInt(iseq.codeCount * 8) }
            #expect(named.isEmpty, "shared code names \(iseq.name)'s bytecode")
            let object = UInt(bitPattern: iseq.id)
            #expect(!words.contains(object), "shared code names \(iseq.name)")
        }
    }

    @Test func aSideExitResumesTheISeqOfItsOwnFrameAfterTheFirstUserDied() throws {
        let run = try GuestRun(jit: GuestRun.eager)
        let jit = try #require(run.jit)
        _ = try run.run("""
        eval("def first(a); a + 1; end", TOPLEVEL_BINDING)
        p first(1)
        Object.remove_method(:first)
        """)
        // The first user is gone (its bytecode freed); its body is still in the region.
        #expect(liveISeqs(named: "first", in: run).isEmpty)
        let out = try run.run("""
        eval("def second(a); a + 1; end", TOPLEVEL_BINDING)
        p second(2)
        p second(4611686018427387903)
        begin
          second("x")
        rescue => e
          p e.class
        end
        """)
        #expect(out == "2\n3\n4611686018427387904\nTypeError\n")
        #expect(jit.stat("shared_code_reuse_count")! == 1)
        // The overflow and the guard on "x" left the shared code at `second`'s own instructions.
        #expect(jit.stat("side_exit_count")! >= 3)
    }

    /// A cached call pushes the callee's frame without its ISEQ (`IncompleteFrames`): the exit must not
    /// take the pc's base from whatever the slot held before.
    @Test func aSideExitFromAFrameACachedCallPushedFindsItsISeq() throws {
        let source = """
        def first(a); a + 1; end
        def second(a); a + 1; end
        def other(a); [a, a]; end
        def call_second(x); second(x); end
        def call_other(x); other(x); end
        p first(1)
        p call_second(1)
        p call_second(2)
        # `other`'s first call (through the send helper) leaves its ISEQ in the frame slot the cached calls
        # of `second` reuse without writing it.
        p call_other(5)
        p call_second(4611686018427387903)
        begin
          call_second("x")
        rescue => e
          p e.class
          p e.backtrace.length > 1
        end
        p call_second(3)
        """
        let (expected, _) = try GuestRun.output(source, jit: nil)
        let (got, jit) = try GuestRun.output(source, jit: GuestRun.eager)
        #expect(got == expected)
        #expect(expected == "2\n2\n3\n[5, 5]\n4611686018427387904\nTypeError\ntrue\n4\n")
        let stats = try #require(jit)
        #expect(stats.stat("shared_code_reuse_count")! == 1)
        #expect(stats.stat("side_exit_count")! >= 2)
    }

    @Test func anUnusedBodyIsFreedAsINT3AndAnotherDefinitionCompilesAfresh() throws {
        let run = try GuestRun(jit: GuestRun.eager)
        let jit = try #require(run.jit)
        _ = try run.run("""
        eval("def test; 41; end", TOPLEVEL_BINDING)
        test
        """)
        let old = try entry(of: "test", in: run)
        _ = try run.run("""
        eval("def test; 42; end", TOPLEVEL_BINDING)
        p test
        JIT.code_gc
        """)
        // The 41 body had no user at the collection: its code is INT3 now.
        #expect(try jit.region.bytes(at: old, count: 4) == [0xCC, 0xCC, 0xCC, 0xCC])
        let out = try run.run("""
        eval("def test; 41; end", TOPLEVEL_BINDING)
        p test
        """)
        #expect(out == "42\n41\n")
        #expect(jit.stat("shared_code_reuse_count")! == 0)
    }

    @Test func aBodyLeftWithoutUsersIsEnteredAgainUntilACollectionFreesIt() throws {
        let run = try GuestRun(jit: GuestRun.eager)
        let jit = try #require(run.jit)
        let out = try run.run("""
        eval("def test; 41; end", TOPLEVEL_BINDING)
        a = test
        eval("def test; 42; end", TOPLEVEL_BINDING)
        b = test
        eval("def test; 41; end", TOPLEVEL_BINDING)
        p [a, b, test]
        JIT.code_gc
        p test
        """)
        #expect(out == "[41, 42, 41]\n41\n")
        // The third definition found the first's code still there; the collection kept it (in use).
        #expect(jit.stat("shared_code_reuse_count")! == 1)
        let entry = try entry(of: "test", in: run)
        #expect(jit.gc.isLive(try #require(jit.gc.block(containing: entry))))
        #expect(try jit.region.bytes(at: entry, count: 1) != [0xCC])
    }

    @Test func redefiningOneUserLeavesTheOthersCompiled() throws {
        let run = try GuestRun(jit: GuestRun.eager)
        let jit = try #require(run.jit)
        let out = try run.run("""
        def a; 5; end
        def b; 5; end
        p [a, b]
        def a; 6; end
        JIT.code_gc
        p [a, b]
        JIT.code_gc
        p [a, b]
        """)
        #expect(out == "[5, 5]\n[6, 5]\n[6, 5]\n")
        let entry = try entry(of: "b", in: run)
        let block = try #require(jit.gc.block(containing: entry))
        #expect(jit.gc.isLive(block))
        #expect(jit.gc.info(block)?.isEntry == true)
        #expect(try jit.region.bytes(at: entry, count: 1) != [0xCC])
    }

    @Test func discardAllFreesSharedBodiesAndTheyCompileAgain() throws {
        let run = try GuestRun(jit: GuestRun.eager)
        let jit = try #require(run.jit)
        _ = try run.run("def test; 7; end\ntest")
        let old = try entry(of: "test", in: run)
        _ = try run.run("p JIT.discard_all > 0")
        #expect(try jit.region.bytes(at: old, count: 4) == [0xCC, 0xCC, 0xCC, 0xCC])
        let out = try run.run("""
        p test
        eval("def test; 7; end", TOPLEVEL_BINDING)
        p test
        """)
        #expect(out == "true\n7\n7\n")
        // Nothing compiled before `discard_all` is reused after it; what was compiled after it is.
        #expect(jit.stat("shared_code_reuse_count")! == 1)
    }

    @Test func tracingForgetsSharedBodiesAndTracedCallsFireTheirEvents() throws {
        let source = """
        def test; 3; end
        test
        log = []
        tp = TracePoint.new(:call, :return) { |t| log << "#{t.event} #{t.method_id}" }
        tp.enable
        eval("def test; 3; end", TOPLEVEL_BINDING)
        test
        tp.disable
        eval("def test; 3; end", TOPLEVEL_BINDING)
        p test
        p log
        """
        let (expected, _) = try GuestRun.output(source, jit: nil)
        let (got, jit) = try GuestRun.output(source, jit: GuestRun.eager)
        #expect(got == expected)
        #expect(expected.contains("call test"))
        // The body compiled before tracing is not reused after it.
        #expect(try #require(jit).stat("shared_code_reuse_count")! == 0)
    }

    @Test func redefiningAnIntegerOperatorForgetsBodiesCompiledUnderTheOldOne() throws {
        let source = """
        def test; 1 + 2; end
        p test
        class Integer
          def +(other); 40; end
        end
        eval("def test; 1 + 2; end", TOPLEVEL_BINDING)
        p test
        """
        let (expected, _) = try GuestRun.output(source, jit: nil)
        let (got, jit) = try GuestRun.output(source, jit: GuestRun.eager)
        #expect(got == expected)
        #expect(expected == "3\n40\n")
        #expect(try #require(jit).stat("shared_code_reuse_count")! == 0)
    }

    @Test func withSharingOffEveryDefinitionCompilesItsOwnCode() throws {
        var configuration = GuestRun.tiny
        configuration.sharesCode = false
        let (out, jit) = try GuestRun.output("""
        200.times { eval("def test; 1; end", TOPLEVEL_BINDING); test() }
        puts "done"
        """, jit: configuration)
        #expect(out == "done\n")
        let stats = try #require(jit)
        #expect(stats.stat("shared_code_reuse_count")! == 0)
        #expect(stats.stat("compiled_block_count")! >= 200)
    }
}

/// Shared bodies under eviction: the round-robin program of issue 5 (each method a distinct shareable body)
/// in a region half the size of its code.
@Suite("Shared method bodies under eviction", .serialized)
struct SharedBodyEvictionTests {
    static func program(methods: Int, rounds: Int) -> String {
        var lines = (0..<methods).map { "def m\($0)(x)\n  x + \($0)\nend" }
        lines.append("def round(x)")
        lines += (0..<methods).map { "  x = m\($0)(x) - \($0)" }
        lines.append("  x\nend")
        lines.append("i = 0\nx = 0\nwhile i < \(rounds)\n  x = round(x) + 1\n  i += 1\nend\np x")
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func evictedBodiesSendTheirMethodsBackToTheInterpreterWithABackoff() throws {
        let source = Self.program(methods: 300, rounds: 150)
        let unlimited = JITConfiguration(callThreshold: 2, regionSize: 64 << 20, pageSize: 4 << 10, evictionBackoff: 40)
        let (expected, unlimitedJIT) = try GuestRun.output(source, jit: unlimited)
        #expect(expected == "150\n")
        let pages = try #require(unlimitedJIT?.stat("live_page_count"))
        var small = unlimited
        small.regionSize = pages / 2 * (4 << 10)
        let (got, jitOrNil) = try GuestRun.output(source, jit: small)
        #expect(got == expected)
        let jit = try #require(jitOrNil)
        #expect(jit.stat("evicted_iseq_count")! > 0)
        // Evicted methods wait out their backoff instead of compiling again on every round.
        #expect(jit.stat("compiled_iseq_count")! < 3 * 300)
        // Every evicted body left the cache; what is still reusable is live code.
        for body in jit.sharedBodies.all where body.reusable {
            #expect(jit.gc.contains(body.block))
        }
    }
}
