import CShims

/// What a compiled range is called, kept in parts: compiling records it for the price of a few stores,
/// and its ``text`` (`jit:fib pc 0...12`) is made only when an output needs text (perf map, GDB, jitdump)
/// or a crash report prints it.
public struct CodeName: Sendable, Equatable {
    /// How the parts read as text.
    public enum Kind: UInt32, Sendable {
        /// ``name`` as given.
        case verbatim = 0
        /// A guest block: `jit:NAME pc FIRST...LAST`.
        case block = 1
        /// The outlined exits of a guest block: `jit:NAME pc FIRST...LAST exits`.
        case blockExits = 2
    }

    /// The whole name (``Kind/verbatim``) or the method's label (`fib`, `block in each`).
    public var name: String
    /// The block's instructions (unused for ``Kind/verbatim``).
    public var pcs: ClosedRange<Int>
    public var kind: Kind

    /// A name used as given.
    public static func verbatim(_ name: String) -> CodeName { CodeName(name: name, pcs: 0...0, kind: .verbatim) }

    /// The block of `method` covering instructions `pcs`, or its outlined exits.
    public static func block(_ method: String, pcs: ClosedRange<Int>, exits: Bool = false) -> CodeName {
        CodeName(name: method, pcs: pcs, kind: exits ? .blockExits : .block)
    }

    /// The name as perf, GDB and crash reports show it.
    public var text: String {
        switch kind {
        case .verbatim: return name
        case .block: return "jit:\(name) pc \(pcs.lowerBound)...\(pcs.upperBound)"
        case .blockExits: return "jit:\(name) pc \(pcs.lowerBound)...\(pcs.upperBound) exits"
        }
    }

    /// Stores the parts into a crash record of `page` (the name cut to `JR_CRASH_NAME_CAPACITY` bytes).
    func addCrashRecord(page: Int) {
        withCrashRecordParts { jr_crash_page_add(page, $0, $1, $2, $3, $4) }
    }

    /// Calls `body` with the parts a crash record stores: the name's UTF-8 bytes and count, the pcs, the kind.
    func withCrashRecordParts(_ body: (UnsafePointer<CChar>?, Int, Int32, Int32, UInt32) -> Void) {
        var name = self.name
        let first = Int32(clamping: pcs.lowerBound), last = Int32(clamping: pcs.upperBound)
        name.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in body(chars.baseAddress, chars.count, first, last, kind.rawValue) }
        }
    }
}
