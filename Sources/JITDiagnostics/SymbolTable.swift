import CShims
import Glibc

/// Function names for addresses of one loaded ELF object, read from its `.symtab` with libelf, so static C
/// functions are named too (dladdr reads only `.dynsym`). Lookups are binary searches over sorted starts.
public struct SymbolTable: Sendable {
    /// One function: its run-time address range and name.
    public struct Function: Sendable, Equatable {
        public var range: Range<UInt>
        public var name: String
    }

    /// The file the symbols were read from.
    public let path: String
    /// Functions sorted by start address (run-time addresses: load bias added).
    public let functions: [Function]

    /// Reads the function symbols of the ELF file at `path`, adding `loadBias` for a position-independent file.
    public init(path: String, loadBias: UInt) throws(DiagnosticsError) {
        try self.init(path: path, loadBias: loadBias) { raw, count, names, namesSize, relocatable in
            jr_elf_read_functions(path, raw, count, names, namesSize, relocatable)
        }
    }

    /// Reads the function symbols of an ELF image in memory (e.g. a GDB JIT object); in a relocatable
    /// object (ET_REL) each symbol's section address is added.
    public init(elfImage: UnsafeRawBufferPointer, name: String = "<memory>") throws(DiagnosticsError) {
        try self.init(path: name, loadBias: 0) { raw, count, names, namesSize, relocatable in
            jr_elf_read_functions_in_memory(elfImage.baseAddress, elfImage.count, raw, count, names, namesSize, relocatable)
        }
    }

    private init(
        path: String, loadBias: UInt,
        read: (UnsafeMutablePointer<UnsafeMutablePointer<jr_elf_function>?>, UnsafeMutablePointer<Int>,
               UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>, UnsafeMutablePointer<Int>, UnsafeMutablePointer<Int32>) -> Int32
    ) throws(DiagnosticsError) {
        var raw: UnsafeMutablePointer<jr_elf_function>?
        var count = 0
        var names: UnsafeMutablePointer<CChar>?
        var namesSize = 0
        var relocatable: Int32 = 0
        guard read(&raw, &count, &names, &namesSize, &relocatable) == 0, let raw, let names else {
            if errno == EIO { throw .elf(step: "reading the symbols of \(path)", message: String(cString: jr_elf_symbols_error())) }
            throw DiagnosticsError.lastSystemError("reading the symbols of \(path)")
        }
        defer {
            free(raw)
            free(names)
        }
        let bias = relocatable != 0 ? loadBias : 0
        var entries: [(start: UInt, size: UInt, name: String)] = []
        entries.reserveCapacity(count)
        for index in 0..<count {
            let symbol = raw[index]
            entries.append((UInt(symbol.value) &+ bias, UInt(symbol.size), String(cString: names + Int(symbol.name_offset))))
        }
        entries.sort { $0.start < $1.start }
        // A symbol without a size (Swift's `main`, hand-written assembly) extends to the next symbol.
        var functions: [Function] = []
        functions.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            var end = entry.start + entry.size
            if entry.size == 0 {
                let next = entries[(index + 1)...].first { $0.start > entry.start }?.start
                end = next ?? entry.start + 1
            }
            functions.append(Function(range: entry.start..<end, name: entry.name))
        }
        self.path = path
        self.functions = functions
    }

    /// The symbols of the loaded object (executable or shared library) that contains `address` (0: the main
    /// program).
    public static func forLoadedObject(containing address: UInt) throws(DiagnosticsError) -> SymbolTable {
        var path = [CChar](repeating: 0, count: 4096)
        var bias: UInt = 0
        guard jr_loaded_object_containing(address, &path, path.count, &bias) == 0 else {
            throw .invalidArgument("no loaded object contains \(hex(address))")
        }
        let end = path.firstIndex(of: 0) ?? path.count
        let text = String(decoding: path[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return try SymbolTable(path: text, loadBias: bias)
    }

    /// The symbols of the main executable.
    public static func mainExecutable() throws(DiagnosticsError) -> SymbolTable {
        try forLoadedObject(containing: 0)
    }

    /// The function containing `address` and the offset into it, or nil.
    public func lookup(_ address: UInt) -> (function: Function, offset: UInt)? {
        var low = 0, high = functions.count
        while low < high {
            let middle = (low + high) / 2
            if functions[middle].range.lowerBound <= address { low = middle + 1 } else { high = middle }
        }
        // Sizes may overlap (aliases): check a few neighbours below for one that contains the address.
        var index = low - 1
        while index >= 0 && index >= low - 4 {
            if functions[index].range.contains(address) { return (functions[index], address - functions[index].range.lowerBound) }
            index -= 1
        }
        return nil
    }

    /// The name of the function containing `address`, or nil.
    public func name(at address: UInt) -> String? { lookup(address)?.function.name }
}
