@testable import GuestJIT
import Testing

/// The JIT's per-owner records (and CodeGC's) live exactly as long as the ISEQ or its code does.
@Suite("Owner records follow ISEQ and code lifetime", .serialized)
struct OwnerLifetimeTests {
    @Test func anOwnerWhoseCodeWasFreedBeforeItsISeqDiedIsForgottenWhenTheISeqDies() throws {
        let run = try GuestRun(jit: GuestRun.eager)
        let jit = try #require(run.jit)
        _ = try run.run("1.times { }")
        let owners = jit.owners.count
        let out = try run.run("""
        eval("def short_lived; 7; end", TOPLEVEL_BINDING)
        p short_lived
        p JIT.discard_all >= 0
        Object.remove_method(:short_lived)
        """)
        #expect(out.hasSuffix("7\ntrue\n"))
        #expect(jit.stat("compiled_iseq_count")! >= 1)
        // Nothing frees code after the ISEQ's death (its code went first): the death itself forgot it.
        #expect(jit.owners.count == owners)
    }

    @Test func churnOfRedefinitionsLeavesOnlyTheLastDefinitionsOwnerAfterACollection() throws {
        let run = try GuestRun(jit: GuestRun.tiny)
        let jit = try #require(run.jit)
        _ = try run.run("1.times { }")
        let owners = jit.owners.count
        let out = try run.run("""
        n = 0
        500.times do |i|
          eval("def test; [JIT.in_jit?, #{i}]; end", TOPLEVEL_BINDING)
          n += 1 if test()[0]
        end
        JIT.code_gc
        p n
        """)
        #expect(out.hasSuffix("500\n"))
        #expect(jit.stat("code_gc_count")! >= 1)
        // The last `test` is alive (and may keep its code); every earlier one is dead and freed.
        #expect(jit.owners.count <= owners + 1)
        #expect(jit.owners.owners(named: jit.vm.symbols.id("test")).count == 1)
    }
}
