@testable import GuestVM
import Synchronization
import Testing

/// Counts ISEQ deaths reported by the registry (as the JIT's observer would see them).
final class DeathCounter: Sendable {
    let count = Mutex(0)
    func install(on vm: VM) {
        vm.iseqs.observeDeaths { [self] _ in count.withLock { $0 += 1 } }
    }
    var value: Int { count.withLock { $0 } }
}

@Suite struct ISeqLifetimeTests {
    @Test func evalChurnKeepsTheNumberOfLiveISeqsBounded() throws {
        let h = GuestHarness()
        try h.run("def warm; end")
        let before = h.vm.iseqs.liveCount
        try h.run("""
        200.times do |i|
          eval("def test; #{i}; end", TOPLEVEL_BINDING)
          test()
        end
        """)
        // The program's own ISEQs are gone again; of the 200 `test` bodies only the last is alive.
        #expect(h.vm.iseqs.liveCount == before + 1)
    }

    @Test func evalProgramDiesWhenEvalReturnsAndRemovedMethodsDie() throws {
        let h = GuestHarness()
        let deaths = DeathCounter()
        deaths.install(on: h.vm)
        let program = try h.vm.compile("eval(\"def gone; 1; end\")", fileName: "t.rb")
        let live = h.vm.iseqs.liveCount
        _ = try h.vm.run(program)
        #expect(deaths.value == 1)  // the eval'd program
        #expect(h.vm.iseqs.liveCount == live + 1)  // `gone` lives on in Object's method table
        try h.run("Object.remove_method(:gone)")
        #expect(h.vm.iseqs.liveCount == live)
    }

    @Test func aRunningMethodsISeqOutlivesItsRemovalUntilItReturns() throws {
        let h = GuestHarness()
        try h.run("eval(\"def self_remover; Object.remove_method(:self_remover); $mid = 1; :done; end\")")
        let deaths = DeathCounter()
        deaths.install(on: h.vm)
        let zombies = h.vm.zombieCount
        let out = try h.output(of: "p self_remover\np $mid")
        #expect(out == ":done\n1\n")
        // Removed while on the stack: kept as a zombie, then released by the next reap.
        h.vm.reapZombies()
        #expect(h.vm.zombieCount == zombies)
        #expect(deaths.value >= 2)  // the method body and the test program
    }

    @Test func liveISeqsCanBeEnumerated() throws {
        let h = GuestHarness()
        try h.run("eval(\"def enumerated_one; end\")")
        #expect(h.vm.iseqs.liveISeqs().contains { $0.name == "enumerated_one" && $0.kind == .method })
    }
}
