import CShims
import Glibc

/// Registers compiled code with GDB through the GDB JIT interface, so `bt` and `info symbol` name JIT frames.
///
/// Each ``register(_:)`` builds one small in-memory ELF object with libelf (ELF64 ET_REL, a `.text` of type
/// SHT_NOBITS at the code's address, `.symtab`/`.strtab` naming each function) and links it into
/// `__jit_debug_descriptor`; GDB, when attached, reads it at its breakpoint on `__jit_debug_register_code`.
/// Objects are grouped by code page: when the collector frees a page, ``unregister(page:)`` drops every
/// object registered on it. Without GDB attached a registration costs building the object (see the tests'
/// measurement); GDB itself slows down with many objects, so register batches of one page where convenient.
///
/// Not thread-safe: the JIT serializes calls (its VM lock); the descriptor list is process-wide.
public final class GDBJITInterface {
    /// A function to name: its code range and name.
    public struct Symbol: Sendable, Equatable {
        /// RX address range of the function's code.
        public var range: Range<UInt>
        /// The name GDB shows, e.g. `jit:Foo#bar@pc12-30`.
        public var name: String

        public init(range: Range<UInt>, name: String) {
            self.range = range
            self.name = name
        }
    }

    /// The region's geometry, to group objects by page.
    private let base: UInt
    private let pageShift: Int
    private let pageCount: Int
    /// Registered entries of each page.
    private var entriesByPage: [Int: [UnsafeMutablePointer<jit_code_entry>]] = [:]
    private(set) public var registeredCount = 0

    /// Registers code of a region whose page 0 starts at `executableBase`, `pageSize` (a power of two) bytes each.
    public init(executableBase: UInt, pageSize: Int, pageCount: Int) throws(DiagnosticsError) {
        guard pageSize > 0, pageSize & (pageSize - 1) == 0, pageCount > 0 else {
            throw .invalidArgument("page size \(pageSize) is not a power of two, or no pages")
        }
        base = executableBase
        pageShift = pageSize.trailingZeroBitCount
        self.pageCount = pageCount
    }

    deinit {
        for entries in entriesByPage.values { for entry in entries { jr_gdb_jit_unregister(entry) } }
    }

    /// Registers one object naming `symbols`, which must all lie on one code page.
    public func register(_ symbols: [Symbol]) throws(DiagnosticsError) {
        guard let first = symbols.first else { return }
        let low = symbols.map(\.range.lowerBound).min()!
        let high = symbols.map(\.range.upperBound).max()!
        guard low >= base, let page = pageIndex(low), pageIndex(high - 1) == page,
              symbols.allSatisfy({ !$0.range.isEmpty }) else {
            throw .invalidArgument("symbols \(first.name)... are empty, outside the region or span pages")
        }
        let object = try Self.buildObject(symbols, text: low..<high)
        guard let entry = jr_gdb_jit_register(object.bytes, object.count) else {
            free(object.bytes)
            throw DiagnosticsError.lastSystemError("jr_gdb_jit_register")
        }
        entriesByPage[page, default: []].append(entry)
        registeredCount += 1
    }

    /// Registers one function.
    public func register(_ range: Range<UInt>, name: String) throws(DiagnosticsError) {
        try register([Symbol(range: range, name: name)])
    }

    /// Unregisters every object on `page` (its code was freed).
    public func unregister(page: Int) {
        guard let entries = entriesByPage.removeValue(forKey: page) else { return }
        for entry in entries { jr_gdb_jit_unregister(entry) }
        registeredCount -= entries.count
    }

    /// The objects currently linked from `__jit_debug_descriptor` (by every interface in the process),
    /// newest first: what GDB would read.
    public static func registeredObjects() -> [UnsafeRawBufferPointer] {
        var objects: [UnsafeRawBufferPointer] = []
        var entry = jr_gdb_jit_first_entry()
        while let current = entry {
            objects.append(UnsafeRawBufferPointer(start: current.pointee.symfile_addr, count: Int(current.pointee.symfile_size)))
            entry = current.pointee.next_entry
        }
        return objects
    }

    private func pageIndex(_ address: UInt) -> Int? {
        guard address >= base else { return nil }
        let page = Int((address - base) >> UInt(pageShift))
        return page < pageCount ? page : nil
    }

    /// Builds the ELF object in malloc'ed memory (ownership passes to the caller).
    static func buildObject(_ symbols: [Symbol], text: Range<UInt>) throws(DiagnosticsError) -> (bytes: UnsafeMutableRawPointer, count: Int) {
        // C strings for the names, kept alive across the call.
        let names = symbols.map { strdup($0.name)! }
        defer { names.forEach { free($0) } }
        var table = symbols.indices.map { index in
            jr_jit_symbol(start: symbols[index].range.lowerBound, size: UInt64(symbols[index].range.count), name: names[index])
        }
        var bytes: UnsafeMutableRawPointer?
        var count = 0
        let result = jr_gdb_jit_build_object(text.lowerBound, text.upperBound, &table, table.count, &bytes, &count)
        guard result == 0, let bytes else {
            if errno == EIO { throw .elf(step: "building the GDB JIT object", message: String(cString: jr_gdb_jit_elf_error())) }
            throw DiagnosticsError.lastSystemError("jr_gdb_jit_build_object")
        }
        return (bytes, count)
    }
}
