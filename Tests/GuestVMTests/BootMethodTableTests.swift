@testable import GuestVM
import Testing

@Suite struct BootMethodTableTests {
    @Test func bootingFitsTheCoreClassesReservedMethodTables() {
        // Each table was sized before booting; one that had to grow means the reserved size is too small.
        let vm = VM()
        for (klass, reserved) in Builtins.bootMethodCapacities(vm) {
            #expect(klass.methods.count <= reserved, "\(klass.name): \(klass.methods.count) methods")
            #expect(klass.methods.capacity == [Int: MethodEntry](minimumCapacity: reserved).capacity, "\(klass.name)")
        }
    }
}
