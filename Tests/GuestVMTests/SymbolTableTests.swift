@testable import GuestVM
import Testing

@Suite struct SymbolTableTests {
    @Test func idsAreDenseStableAndRoundTrip() {
        let table = SymbolTable()
        let words = (0..<1_000).map { "name\($0 % 400)" }
        var seen: [String: Int] = [:]
        for word in words {
            let id = table.id(word)
            if let earlier = seen[word] {
                #expect(id == earlier)
            } else {
                #expect(id == seen.count)
                seen[word] = id
            }
            #expect(table.name(id) == word)
        }
        #expect(table.count == 400)
        #expect(table.id("") == 400)
        #expect(table.name(400) == "")
    }

    @Test func aBootingVMFitsTheBootCapacity() {
        // The table is sized so booting rehashes nothing; a boot that interns more names needs a larger size.
        let vm = VM()
        #expect(vm.symbols.count > SymbolTable.bootCapacity / 2)
        #expect(vm.symbols.count <= SymbolTable.bootCapacity)
    }
}
