@testable import GuestVM
import Testing

/// The registry's live list (an array in which each ISEQ knows its position) lists exactly the live ISEQs
/// whatever order they die in, and a method ISEQ knows its name's symbol.
@Suite struct ISeqRegistryTests {
    @Test func liveISeqsAreExactlyThoseStillHeldAfterDeathsInAnyOrder() throws {
        let vm = VM()
        let baseline = Set(vm.iseqs.liveISeqs().map(ObjectIdentifier.init))
        var held: [ISeq] = []
        // Each program is a top ISEQ with a method child and a block child: three registry entries.
        for i in 0..<60 { held.append(try vm.compile("def m\(i); \(i); end; [1].each { |x| x }", fileName: "r.rb")) }
        // A fixed pseudo-random order of deaths (a linear congruential sequence).
        var state: UInt64 = 7
        for round in 0..<4 {
            for _ in 0..<(held.count / 3) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                held.remove(at: Int((state >> 33) % UInt64(held.count)))
            }
            if round == 1 { for i in 0..<20 { held.append(try vm.compile("def n\(i); end", fileName: "r.rb")) } }
            let expected = held.flatMap { [$0] + $0.children }.map(ObjectIdentifier.init)
            let live = vm.iseqs.liveISeqs().map(ObjectIdentifier.init).filter { !baseline.contains($0) }
            #expect(live.count == expected.count, "round \(round)")
            #expect(Set(live) == Set(expected), "round \(round)")
            #expect(vm.iseqs.liveCount == baseline.count + expected.count, "round \(round)")
        }
        held.removeAll()
        #expect(vm.iseqs.liveCount == baseline.count)
    }

    @Test func aMethodISeqCarriesItsNameSymbol() throws {
        let vm = VM()
        let program = try vm.compile("def named_here; end; def self.on_main; end", fileName: "r.rb")
        let methods = program.children.filter { $0.kind == .method }
        #expect(methods.count == 2)
        for method in methods { #expect(method.nameSymbolID == vm.symbols.id(method.name)) }
        #expect(program.nameSymbolID == -1)
    }
}
