import GuestJIT
import GuestVM
import Testing

/// What compiled code embeds stays alive as long as that code can run: object literals of its ISEQ,
/// and the ISEQ itself while a frame still runs its invalidated code.
@Suite("Objects and ISEQs compiled code uses survive the object collector", .serialized)
struct CompiledCodeObjectRootTests {
    static let configurations = [GuestRun.eager, JITConfiguration(callThreshold: 1, stressGC: true)]

    /// Makes every allocation past a few hundred live objects collect at the next safepoint.
    static func stress(_ vm: VM) {
        vm.heap.minimumThreshold = 200
        vm.heap.threshold = 200
    }

    /// A boxed Integer literal is referenced by nothing but its method's code (putObject, compiled to a
    /// 64-bit immediate): it must survive hundreds of collections among boxed Integers of its size, and
    /// the compiled method keeps returning it with its value.
    @Test(arguments: configurations)
    func aLiteralOnlyCompiledCodeReferencesSurvivesCollections(configuration: JITConfiguration) throws {
        let source = """
        def big; 4611686018427387904; end
        def check(n)
          i = 0
          ok = 0
          while i < n
            # Garbage of the literal's own size and class: a freed literal's memory would be reused.
            junk = [i, "x#{i}", 4611686018427387000 + i, 4611686018427387000 - i]
            # No local keeps the literal between iterations: only the compiled code of `big` names it.
            ok += 1 if big - 4611686018427387903 == 1 && big.to_s == "4611686018427387904"
            i += 1
          end
          ok
        end
        p check(20_000), GC.count > 50, JIT.stat(:compiled_iseq_count) >= 2
        """
        let run = try GuestRun(jit: configuration)
        Self.stress(run.vm)
        #expect(try run.run(source) == "20000\ntrue\ntrue\n")
    }

    /// Boxed literals of eval'd methods that were redefined die with their ISEQs once the code
    /// collector freed their code (they used to be pinned for the VM's lifetime).
    @Test(arguments: configurations)
    func literalsOfRedefinedMethodsAreFreedWithTheirCode(configuration: JITConfiguration) throws {
        let source = """
        sum = 0
        6000.times do |i|
          eval("def test; 4611686018427387904 + #{i}; end", TOPLEVEL_BINDING)
          sum += test - 4611686018427387904
        end
        JIT.code_gc
        x = 0
        # Enough allocation to pass the threshold the retired literals raised: a collection after code_gc.
        30_000.times { |i| x += [i].size }
        p sum, x
        """
        let run = try GuestRun(jit: configuration)
        Self.stress(run.vm)
        #expect(try run.run(source) == "\((0..<6000).reduce(0, +))\n30000\n")
        // 6,000 literals, had they been pinned; the live ones now: classes, strings, the last definitions.
        #expect(run.vm.heap.count < 5000)
    }

    /// `victim` is compiled; it calls `inner`, which redefines `victim` (its code is invalidated, its old
    /// ISEQ only a zombie its frame keeps) and then collects objects and code many times. The old ISEQ,
    /// still on the stack (its frame, and `inner`'s jitReturn into its code), survives all of them and
    /// finishes correctly with its own literal; once its frame is gone (and the next definition reaped
    /// it) it dies, and the collector frees its code.
    @Test(arguments: configurations)
    func anInvalidatedISeqStillOnAStackSurvivesCollectionsUntilItsFrameLeaves(configuration: JITConfiguration) throws {
        let source = """
        def inner
          eval("def victim; 2; end", TOPLEVEL_BINDING)
          seen = []
          i = 0
          while i < 4000
            junk = "j#{i}"
            if i % 1000 == 0
              JIT.code_gc
              seen << live_victims
            end
            i += 1
          end
          seen
        end
        # Defined by eval: no enclosing ISEQ owns it once its entry is gone (a top-level def's would).
        eval("def victim; r = inner; [r, 4611686018427387904 + 1]; end", TOPLEVEL_BINDING)
        c = GC.count
        p victim, GC.count - c > 3
        eval("def other; end", TOPLEVEL_BINDING)
        JIT.code_gc
        p victim, live_victims
        """
        let run = try GuestRun(jit: configuration)
        Self.stress(run.vm)
        run.vm.defineCFunction(run.vm.objectClass, "live_victims", arity: 0, protected: false) { _, ecp, _, _, _ in
            let vm = Unmanaged<ExecutionContext>.fromOpaque(ecp!).takeUnretainedValue().vm
            return vm.integer(Int64(vm.iseqs.liveISeqs().filter { $0.name == "victim" }.count)).raw
        }
        let got = try run.run(source)
        #expect(got == "[[2, 2, 2, 2], 4611686018427387905]\ntrue\n2\n1\n")
    }
}
