/// The guest's `GC` module: `GC.count` and `GC.stat(:name)` (`count`, `heap_live_slots`,
/// `total_freed_objects`), as in Ruby, read from the object collector (`ObjectHeap`).
enum GCBuiltins {
    static func install(_ vm: VM) {
        let module = vm.defineModule("GC")
        guard let meta = module.metaclass else { return }
        vm.builtinMethod(meta, "count", 0) { builtin($1, $2, $3, $4) { _, vm, _, _ in
            vm.integer(Int64(vm.heap.collections))
        } }
        vm.builtinMethod(meta, "stat", 1) { builtin($1, $2, $3, $4) { ec, vm, _, args throws(GuestError) in
            guard args[0].isSymbol else { throw vm.error(vm.typeErrorClass, "stat key must be a Symbol", ec: ec) }
            let name = vm.symbols.name(args[0].symbolID)
            switch name {
            case "count": return vm.integer(Int64(vm.heap.collections))
            case "heap_live_slots": return vm.integer(Int64(vm.heap.count))
            case "total_freed_objects": return vm.integer(Int64(vm.heap.freedObjects))
            default: throw vm.error(vm.argumentErrorClass, "unknown key: \(name)", ec: ec)
            }
        } }
    }
}
