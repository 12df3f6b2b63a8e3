import CodeGC
import GuestVM

/// Compiled method bodies shared by every ISEQ with the same bytecode, so that defining the same small
/// method again and again (`eval("def test; 1; end")` in a loop) compiles it once.
///
/// Only a body the JIT compiles into one self-contained block qualifies: a method ISEQ without object
/// literals, child ISEQs or catch table, whose code has no branch, no send, no helper call and no return
/// point (call sites of `opt_plus` and the like are read only by the interpreter, after a side exit).
/// Such code depends on nothing but its bytecode words (operands are immediates and local and call-site
/// indexes) and the local count, which make the key: it names no address of its ISEQ (side exits get
/// the pc's offset and the frame's ISEQ supplies its code, `SharedCode.relativeExitTail`), calls
/// nothing (no frame can wait inside it: nothing ever patches it, and invalidating one user changes no
/// byte another runs) and embeds no heap object.
///
/// The code belongs to a CodeGC owner of its own (``ownerTag`` set in its id), not to any ISEQ. It is an
/// entry (a root) exactly while some live ISEQ uses it as its `jitEntry` (its `users`). When the last
/// user goes (redefinition, removal, death), the entry is removed and the next collection frees the code
/// as it would an unshared method's; until then, an ISEQ with the same bytecode sets the entry again and
/// runs the same bytes. Anything that invalidates code for a reason other than one method's (TracePoint,
/// `JIT.discard_all`, an Integer operator redefined) detaches every user and forgets every body, so no
/// code compiled under old assumptions is reused. A body the collector evicts or frees leaves the cache.
final class SharedBody {
    /// The code's CodeGC owner (``SharedBodies/ownerTag`` set).
    let owner: CodeOwnerID
    let block: BlockID
    /// The block's entry address.
    let entry: UInt
    let hash: Int
    /// What the code depends on: the bytecode words and the ISEQ's layout.
    let words: [Int]
    let localCount: Int
    let maxStack: Int
    /// Records of the live ISEQs whose `jitEntry` is ``entry``.
    var users: [GuestJIT.OwnerRecord] = []
    /// Users detached because the collector removed the entry (eviction), for ``GuestJIT/codeGC(_:didEvict:)``.
    var evictedUsers: [GuestJIT.OwnerRecord] = []
    /// Whether it can still be handed to a new user (false once its block was invalidated).
    var reusable = true

    init(owner: CodeOwnerID, block: BlockID, entry: UInt, hash: Int, iseq: ISeq) {
        self.owner = owner
        self.block = block
        self.entry = entry
        self.hash = hash
        words = Array(UnsafeBufferPointer(start: iseq.code, count: iseq.codeCount))
        localCount = iseq.localCount
        maxStack = iseq.maxStack
    }

    /// Whether `iseq` compiles to exactly this code.
    func matches(_ iseq: ISeq) -> Bool {
        guard iseq.codeCount == words.count, iseq.localCount == localCount, iseq.maxStack == maxStack else { return false }
        return words.withUnsafeBufferPointer { stored in
            for index in 0..<stored.count where stored[index] != iseq.code[index] { return false }
            return true
        }
    }
}

/// The JIT's ``SharedBody`` records: by bytecode hash for reuse, by owner for the collector's reports.
struct SharedBodies {
    /// Bit set in the id of every shared body's owner (OwnerDirectory ids never have it).
    static let ownerTag: UInt64 = 1 << 63
    /// Bodies longer than this many words are not looked for (hashing them per definition costs more
    /// than such rare repeats save).
    static let maximumWords = 64

    private var byHash: [Int: [SharedBody]] = [:]
    private var byOwner: [CodeOwnerID: SharedBody] = [:]
    private var lastSerial: UInt64 = 0
    /// The body last compiled or left by a user: a redefinition with the same bytecode (the churn of one
    /// method) finds it without hashing.
    var recent: SharedBody?
    /// The body whose last user left most recently, still an entry: redefining a method with the same body
    /// (the ISEQ replacing the old one is compiled right after) then neither removes nor sets an entry. Its
    /// entry goes when another body becomes idle, when a collection starts, or when bodies are forgotten
    /// (`GuestJIT.releaseIdleBody`), so unused code is never kept from a collection.
    var idle: SharedBody?

    static func isShared(_ owner: CodeOwnerID) -> Bool { owner.rawValue & ownerTag != 0 }

    /// Whether `iseq` may compile to a shared body: the ISEQ-level conditions, and its instructions
    /// (followed the way the compiler reads them) contain no branch, no helper-called instruction and
    /// no call. The compiler checks its block again (``BlockCompiler/NotShareable``).
    static func isCandidate(_ iseq: ISeq) -> Bool {
        guard iseq.kind == .method, iseq.codeCount <= maximumWords,
              iseq.objectLiterals.isEmpty, iseq.children.isEmpty, iseq.catchTable.isEmpty else { return false }
        let code = iseq.code
        var pc = 0
        while pc < iseq.codeCount {
            guard let op = Opcode(rawValue: code[pc]) else { return true }
            switch op {
            case .leave:
                return true
            case .jump:
                guard BlockCompiler.jumpsToLeave(code, pc: pc, count: iseq.codeCount) else { return false }
                pc = code[pc + 1]
                continue
            case .branchIf, .branchUnless, .send, .optDiv, .optMod, .optAref, .optAset, .optLtLt, .optSize:
                return false
            default:
                if GuestJIT.simpleEffect(op, operand: op.operandCount > 0 ? code[pc + 1] : 0) != nil { return false }
            }
            pc += 1 + op.operandCount
        }
        return true
    }

    /// A hash of what a body depends on (FNV-1a over words: ISEQs are short, and only equal ones matter).
    static func hash(_ iseq: ISeq) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(iseq.localCount)
        for index in 0..<iseq.codeCount {
            h = (h ^ UInt64(bitPattern: Int64(iseq.code[index]))) &* 0x100_0000_01b3
        }
        return Int(bitPattern: UInt(h ^ (h >> 29)))
    }

    /// The reusable body for `iseq`, if there is one.
    func body(for iseq: ISeq) -> SharedBody? {
        if let recent, recent.reusable, recent.matches(iseq) { return recent }
        return byHash[Self.hash(iseq)]?.first { $0.reusable && $0.matches(iseq) }
    }

    /// The body whose code `owner` owns.
    subscript(owner: CodeOwnerID) -> SharedBody? {
        Self.isShared(owner) ? byOwner[owner] : nil
    }

    /// A fresh owner id for a body's code.
    mutating func newOwner() -> CodeOwnerID {
        lastSerial += 1
        return CodeOwnerID(Self.ownerTag | lastSerial)
    }

    mutating func insert(_ body: SharedBody) {
        byHash[body.hash, default: []].append(body)
        byOwner[body.owner] = body
        recent = body
    }

    /// Stops handing `body` out (its owner stays known for the collector's reports).
    mutating func retire(_ body: SharedBody) {
        body.reusable = false
        if recent === body { recent = nil }
        guard var bucket = byHash[body.hash] else { return }
        bucket.removeAll { $0 === body }
        byHash[body.hash] = bucket.isEmpty ? nil : bucket
    }

    /// Forgets `body` altogether (its code is freed, or its owner forgotten by the collector).
    mutating func remove(_ body: SharedBody) {
        retire(body)
        byOwner[body.owner] = nil
    }

    /// Every body still known.
    var all: [SharedBody] { Array(byOwner.values) }
}
