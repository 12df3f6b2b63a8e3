/// An instruction sequence: the bytecode of one method body, block, class body or top-level/eval'd
/// program.
///
/// ISEQs have identity and a lifetime. A method's ISEQ is owned by its `MethodEntry` (and by the ISEQ
/// whose `def` created it, through `children`); blocks and class bodies are owned by their enclosing
/// ISEQ; a top-level or eval'd program is owned by whoever runs it. Frames refer to ISEQs without
/// owning them: the VM keeps a removed method's entry in a zombie list until no frame runs its ISEQ
/// (see `VM.reapZombies`). When the last owner goes, `deinit` unregisters the ISEQ from the registry,
/// which tells its observers (the JIT frees the entry metadata of its code then).
public final class ISeq {
    public enum Kind: Sendable { case top, method, block, classBody, eval }

    /// A catch-table region `[start, end)` of instruction words, its handler and the operand-stack
    /// depth the handler starts with (the thrown object is pushed on top of it).
    public struct CatchEntry: Sendable {
        public enum Kind: Sendable { case rescue, ensure }
        public var kind: Kind
        public var start: Int
        public var end: Int
        public var handler: Int
        public var stackDepth: Int
    }

    public let kind: Kind
    /// Method name, or the label used in backtraces (`<main>`, `<class:Foo>`, `block in foo`).
    public let name: String
    public let fileName: String
    public let code: UnsafeMutablePointer<Int>
    public let codeCount: Int
    /// Source line of each code word (the instruction's line at its opcode word).
    public let lines: UnsafeMutablePointer<Int32>
    public let callSites: UnsafeMutablePointer<CallSite>
    public let callSiteCount: Int
    /// Parameters occupy locals `0 ..< parameterCount`.
    public let parameterCount: Int
    public let localNames: [String]
    public var localCount: Int { localNames.count }
    /// Upper bound of operand-stack slots this ISEQ uses above its locals.
    public let maxStack: Int
    public let catchTable: [CatchEntry]
    public let children: [ISeq]
    public let stringLiterals: [String]
    /// Heap objects the code embeds (boxed Integer literals): the object collector marks them while the
    /// ISEQ lives, and while a JIT says its compiled code may still name them (`ISeqRegistry`).
    public let objectLiterals: [Value]
    /// Prelude methods are shown in backtraces like cfuncs (as Ruby 3.1 shows its C `times`).
    public let isInternal: Bool
    /// The method/top-level ISEQ this block belongs to (self for non-blocks).
    public internal(set) unowned(unsafe) var root: ISeq! = nil
    /// The ISEQ whose code contains this one (nil for programs and ISEQs that outlived their parent).
    public internal(set) unowned(unsafe) var parentISeq: ISeq?

    /// Calls (method entries) counted for the JIT threshold.
    public var callCount: Int = 0
    /// Machine-code entry point set by the JIT (nil: interpret).
    public var jitEntry: UnsafeRawPointer?
    /// The JIT's per-ISEQ data.
    public var jitPayload: AnyObject?
    /// A method ISEQ's name as a symbol id (set by the compiler, which interns it for `defineMethod`
    /// anyway), so the JIT does not hash the name again for every compiled method; -1 when unknown.
    public internal(set) var nameSymbolID = -1

    private let registry: ISeqRegistry
    /// This ISEQ's position in its registry's live list (kept by the registry, under its lock).
    var registrySlot = -1

    init(kind: Kind, name: String, fileName: String, code: [Int], lines: [Int32], callSites: [CallSite],
         parameterCount: Int, localNames: [String], maxStack: Int, catchTable: [CatchEntry],
         children: [ISeq], stringLiterals: [String], objectLiterals: [Value] = [], isInternal: Bool,
         registry: ISeqRegistry) {
        self.kind = kind
        self.name = name
        self.fileName = fileName
        self.codeCount = code.count
        self.code = .allocate(capacity: max(code.count, 1))
        self.code.initialize(from: code, count: code.count)
        self.lines = .allocate(capacity: max(lines.count, 1))
        self.lines.initialize(from: lines, count: lines.count)
        self.callSiteCount = callSites.count
        self.callSites = .allocate(capacity: max(callSites.count, 1))
        self.callSites.initialize(from: callSites, count: callSites.count)
        self.parameterCount = parameterCount
        self.localNames = localNames
        self.maxStack = maxStack
        self.catchTable = catchTable
        self.children = children
        self.stringLiterals = stringLiterals
        self.objectLiterals = objectLiterals
        self.isInternal = isInternal
        self.registry = registry
        registry.add(self)
        self.root = self
        for child in children {
            child.parentISeq = self
            if child.kind == .block { child.setRoot(self) }
        }
    }

    private func setRoot(_ r: ISeq) {
        root = r
        for child in children where child.kind == .block { child.setRoot(r) }
    }

    deinit {
        for c in children where c.parentISeq === self { c.parentISeq = nil }
        registry.remove(self)
        code.deallocate()
        lines.deallocate()
        callSites.deinitialize(count: callSiteCount)
        callSites.deallocate()
    }

    /// Source line of the instruction at word index `pcIndex`.
    public func line(at pcIndex: Int) -> Int {
        guard codeCount > 0 else { return 0 }
        return Int(lines[min(max(pcIndex, 0), codeCount - 1)])
    }

    /// Opaque identity usable as a dictionary key after the ISEQ is gone.
    public var id: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }
}
