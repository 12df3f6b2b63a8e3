import CShims
import GuestVM
import X86Assembler

/// A send site's monomorphic cache for calls JIT code makes without any helper: receiver class, the
/// callee's compiled entry and what its frame needs. Filled by the send helper after a slow call that
/// pushed a compiled ISEQ callee; valid while its serial equals the runtime block's, which every method
/// change and every entry removal bumps, so a cached entry can never point at freed code (entries are
/// roots until removed). The callee is never baked into the caller's code: redefinition costs one miss.
///
/// The record also describes its site (`callSite`, `nextPC`, `argcBytes`, written by the compiler and the
/// same for every version of the site): the site hands only its stack top and the record to
/// `SharedCode.send`, which finds everything else here. Every send site has a record; only sites
/// compiled with the cached path read the cache words.
enum CallCache {
    /// The first line holds every word a cached call reads (`SharedCode.emitCachedSend`: class, serial,
    /// entry, stack reserve, extra locals), so a call to compiled code touches one line of its record; the
    /// second holds what only frame completion, a miss or an interpreted callee reads.
    static let klass = 0, serial = 8, entry = 16, reserveBytes = 24, extraLocals = 32, code = 40
    static let iseq = 48, methodEntry = 56, cref = 64, spBytes = 72
    static let callSite = 80, nextPC = 88, argcBytes = 96
    /// A record for an interpreted callee (`entry` is `SharedCode.interpretCallee`): cached calls left
    /// before the ISEQ is due for compilation, and how many it started with (they are added to its
    /// `callCount` when they run out, see `GuestJIT.interpretedCallsDue`).
    static let interpretedCallsLeft = 104, interpretedCalls = 112
    static let size = 128

    /// Line-aligned, so a record is exactly two cache lines (malloc's 16-byte alignment let a quarter of
    /// them straddle three, and a cached call to an interpreted callee then missed on the third).
    static func allocate() -> UnsafeMutableRawPointer {
        let record = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
        record.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        record.storeBytes(of: UInt64.max, toByteOffset: serial, as: UInt64.self)
        return record
    }


    /// Writes the site words of `record` (idempotent: each send instruction has its own call site, so every
    /// compilation of the site writes the same values; JIT code that reads them meanwhile sees no change).
    static func describeSite(_ record: UnsafeMutableRawPointer, callSite site: UnsafeMutablePointer<CallSite>,
                             nextPC: UnsafeMutablePointer<Int>) {
        record.storeBytes(of: UInt64(UInt(bitPattern: site)), toByteOffset: callSite, as: UInt64.self)
        record.storeBytes(of: UInt64(UInt(bitPattern: nextPC)), toByteOffset: self.nextPC, as: UInt64.self)
        record.storeBytes(of: UInt64(site.pointee.argc * 8), toByteOffset: argcBytes, as: UInt64.self)
    }

    /// Whether `record` was filled under an older serial. Multi-threaded, only stale records are filled: JIT
    /// code reads the serial, then the class, then the rest without a lock, so a record valid for the
    /// current serial must never change (fills are serialized by the VM lock; the serial changes only with
    /// the world stopped). A polymorphic site then calls its other classes through the helper.
    static func isStale(_ record: UnsafeMutableRawPointer, runtime: RuntimeBlock) -> Bool {
        record.load(fromByteOffset: serial, as: UInt64.self) != runtime.word(RuntimeBlock.serial).pointee
    }

    /// Fills `record` for a call of `iseq` (just pushed as `callee`) on a receiver of class `klass`.
    /// `interpretedCalls`: for an interpreted callee (`entry` the interpreter stub), the cached calls
    /// before the helper looks at the ISEQ again.
    static func fill(_ record: UnsafeMutableRawPointer, runtime: RuntimeBlock, klass: UInt, iseq: ISeq, argc: Int,
                     callee: UnsafeMutablePointer<ControlFrame>, entry: UnsafeRawPointer, interpretedCalls: Int = 0) {
        // JIT code on other threads may read the record meanwhile: the serial goes last (see `isStale`).
        record.storeBytes(of: UInt64.max, toByteOffset: serial, as: UInt64.self)
        jr_compiler_barrier()
        record.storeBytes(of: UInt64(klass), toByteOffset: self.klass, as: UInt64.self)
        record.storeBytes(of: UInt64(UInt(bitPattern: entry)), toByteOffset: self.entry, as: UInt64.self)
        record.storeBytes(of: UInt64(UInt(bitPattern: iseq.id)), toByteOffset: self.iseq, as: UInt64.self)
        record.storeBytes(of: UInt64(UInt(bitPattern: callee.pointee.methodEntry)), toByteOffset: methodEntry, as: UInt64.self)
        record.storeBytes(of: UInt64(UInt(bitPattern: callee.pointee.cref)), toByteOffset: cref, as: UInt64.self)
        record.storeBytes(of: UInt64(UInt(bitPattern: iseq.code)), toByteOffset: code, as: UInt64.self)
        record.storeBytes(of: UInt64(iseq.localCount - argc), toByteOffset: extraLocals, as: UInt64.self)
        record.storeBytes(of: UInt64(iseq.localCount * 8), toByteOffset: spBytes, as: UInt64.self)
        record.storeBytes(of: UInt64((iseq.localCount + iseq.maxStack) * 8), toByteOffset: reserveBytes, as: UInt64.self)
        setInterpretedCalls(record, interpretedCalls)
        jr_compiler_barrier()
        record.storeBytes(of: runtime.word(RuntimeBlock.serial).pointee, toByteOffset: serial, as: UInt64.self)
    }

    /// Starts a new count of cached calls to an interpreted callee.
    static func setInterpretedCalls(_ record: UnsafeMutableRawPointer, _ calls: Int) {
        record.storeBytes(of: Int64(calls), toByteOffset: interpretedCallsLeft, as: Int64.self)
        record.storeBytes(of: Int64(calls), toByteOffset: interpretedCalls, as: Int64.self)
    }

    /// Whether `record` is valid and still sends its calls to `iseq` through the interpreter entry.
    static func countsInterpretedCalls(_ record: UnsafeMutableRawPointer, to iseq: ISeq, runtime: RuntimeBlock,
                                       interpreterEntry: UInt) -> Bool {
        !isStale(record, runtime: runtime)
            && record.load(fromByteOffset: entry, as: UInt.self) == interpreterEntry
            && record.load(fromByteOffset: self.iseq, as: UInt.self) == UInt(bitPattern: iseq.id)
    }

    /// Sends the calls of a valid record to `newEntry`, compiled code of the ISEQ it describes: every
    /// other word stays, so frames pushed through the record complete the same either side of the store.
    static func setEntry(_ record: UnsafeMutableRawPointer, _ newEntry: UnsafeRawPointer) {
        record.storeBytes(of: UInt64(UInt(bitPattern: newEntry)), toByteOffset: entry, as: UInt64.self)
    }
}
