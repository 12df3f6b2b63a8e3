@testable import GuestVM
import Testing

@Suite struct ZombieReapingTests {
    /// `depth` methods each remove themselves and call the next; the innermost redefines `junk` a few
    /// times (each old `junk` becomes a zombie no frame runs) and reports the zombie count: exactly the
    /// removed methods still on the stack survive the reaps, whichever way reaping runs (a few zombies are
    /// matched against frames by bit mask, more than 64 through a set).
    @Test(arguments: [1, 3, 64, 70])
    func reapingKeepsExactlyTheZombiesAFrameStillRuns(depth: Int) throws {
        let h = GuestHarness()
        h.vm.defineCFunction(h.vm.objectClass, "zombie_count", arity: 0) { _, ecp, _, _, _ in
            let ec = Unmanaged<ExecutionContext>.fromOpaque(ecp!).takeUnretainedValue()
            return Value.fixnum(Int64(ec.vm.zombieCount)).raw
        }
        var source = ""
        for level in 0..<depth {
            let body = level + 1 < depth
                ? "r\(level + 1)"
                : "4.times { |i| eval(\"def junk; #{i}; end\", TOPLEVEL_BINDING) }; zombie_count"
            source += "def r\(level); Object.remove_method(:r\(level)); \(body); end\n"
        }
        source += "p r0\n"
        try h.run("def junk; end")
        h.vm.reapZombies()
        let before = h.vm.zombieCount
        let out = try h.output(of: source)
        #expect(out == "\(before + depth)\n")
        h.vm.reapZombies()
        #expect(h.vm.zombieCount == before)
    }
}
