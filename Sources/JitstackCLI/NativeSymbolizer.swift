import CShims
import Glibc
import JITDiagnostics

/// Names native code addresses for stack dumps: the main executable's `.symtab` (read with libelf, so
/// static C functions are named too), then dladdr for shared libraries; Swift names are demangled.
final class NativeSymbolizer {
    /// What a native frame runs.
    enum Kind: String {
        /// C code of this program (CShims, fixtures): C symbols of the main executable.
        case c = "C"
        /// Swift code (mangled `$s` symbols).
        case swift = "Swift"
        /// Shared libraries: libc, libunwind, the Swift runtime.
        case runtime = "runtime"
    }

    struct Symbol {
        var kind: Kind
        var name: String?
        var offset: UInt
        /// The shared object, when it is not the main executable.
        var object: String?
    }

    /// Read on the first lookup: parsing the executable's `.symtab` costs milliseconds, and only views that
    /// print native frames need it.
    private lazy var executable: SymbolTable? = try? SymbolTable.mainExecutable()
    private var cache: [UInt: Symbol] = [:]
    init() {}

    /// The symbol of a code address (`address` itself: subtract 1 from a return address first).
    func symbol(at address: UInt) -> Symbol {
        if let known = cache[address] { return known }
        let found = lookUp(address)
        if cache.count < 100_000 { cache[address] = found }
        return found
    }

    private func lookUp(_ address: UInt) -> Symbol {
        if let (function, offset) = executable?.lookup(address) {
            let isSwift = function.name.hasPrefix("$s") || function.name.hasPrefix("_$s")
            let kind: Kind = isSwift ? .swift : Self.isRuntime(function.name) ? .runtime : .c
            return Symbol(kind: kind, name: isSwift ? demangle(function.name) : function.name, offset: offset, object: nil)
        }
        var path: UnsafePointer<CChar>?
        var name: UnsafePointer<CChar>?
        var start: UInt = 0
        guard let pointer = UnsafeRawPointer(bitPattern: address),
              jr_describe_address(pointer, &path, &name, &start) == 0 else {
            return Symbol(kind: .runtime, name: nil, offset: 0, object: nil)
        }
        let object = path.map { String(cString: $0) }
        let raw = name.map { String(cString: $0) }
        let isSwift = raw.map { $0.hasPrefix("$s") || $0.hasPrefix("_$s") } ?? false
        let shortObject = object.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        return Symbol(kind: isSwift && object == nil ? .swift : .runtime, name: raw.map { isSwift ? demangle($0) : $0 },
                      offset: raw == nil ? 0 : address &- start, object: shortObject)
    }

    /// Whether a C-level symbol of the executable is the Swift runtime's (linked in with a static standard
    /// library): its entry points (`swift_retain`) and C++ internals (`_ZN5swift...`); this program's own C
    /// code is plain C.
    static func isRuntime(_ name: String) -> Bool {
        name.hasPrefix("swift_") || name.hasPrefix("_swift") || name.hasPrefix("__swift") || name.hasPrefix("_ZN")
    }

    /// A readable Swift name (`GuestVM.VM.interpret(...)`), cut to 120 characters.
    private func demangle(_ mangled: String) -> String {
        let text: String? = mangled.withCString { pointer in
            guard let result = swiftDemangle(pointer, strlen(pointer), nil, nil, 0) else { return nil }
            defer { free(result) }
            return String(cString: result)
        }
        guard let name = text else { return mangled }
        return Self.shorten(name)
    }

    /// `GuestVM.VM.execute(...)`: a demangled name without its parameter and result types; closures and
    /// protocol witnesses keep the function they belong to.
    static func shorten(_ name: String) -> String {
        var text = name
        for prefix in ["partial apply forwarder for ", "protocol witness for ", "@objc ", "merged ", "partial apply for "] where text.hasPrefix(prefix) {
            text.removeFirst(prefix.count)
        }
        var closure = ""
        if text.hasPrefix("closure #"), let range = text.ranges(of: " in ").last {
            closure = "closure in "
            text = String(text[range.upperBound...])
        }
        if let open = text.firstIndex(of: "(") { text = String(text[..<open]) + "(...)" }
        if let conformance = text.firstRange(of: " in conformance ") { text = String(text[..<conformance.lowerBound]) }
        text = closure + text
        return text.count > 100 ? String(text.prefix(97)) + "..." : text
    }
}

/// The Swift runtime's demangler, referenced directly so it is linked in (and found) whether the standard
/// library is a shared object or linked statically (where it is not exported for dlsym).
@_silgen_name("swift_demangle")
private func swiftDemangle(
    _ mangled: UnsafePointer<CChar>?, _ length: Int, _ output: UnsafeMutablePointer<CChar>?,
    _ outputLength: UnsafeMutablePointer<Int>?, _ flags: UInt32
) -> UnsafeMutablePointer<CChar>?
