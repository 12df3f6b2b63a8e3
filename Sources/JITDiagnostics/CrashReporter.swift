import CShims
import Glibc
import Synchronization

/// Reports execution that reaches freed or invalid JIT code, then aborts.
///
/// ``install(executableBase:pageSize:pageCount:)`` puts a handler for SIGTRAP, SIGSEGV, SIGILL and SIGBUS on
/// an alternate signal stack. When the faulting pc (an `int3`'s address, a fetch fault, or the faulting data
/// address) lies in the code region it writes to stderr the address, its page, whether and by which
/// collection that page was freed and what it held (the last 512 freed pages are remembered), and the native
/// stack walked with libunwind from the signal context, each frame tagged JIT, C or Swift and named from the
/// main executable's `.symtab` (static functions too) or dladdr; then it aborts (SIGABRT). Faults elsewhere
/// go to the previous handler or the default action.
///
/// Installing reads no symbols: it maps the executable's file read-only and finds its symbol table's
/// section, and only a crash reads the table, in place, from the signal handler. That is async-signal-safe
/// because the handler then only reads memory mapped before the crash (no libelf, malloc, stdio or lock),
/// and it keeps start-up free of the megabytes a parsed table would cost. The handler only reads state
/// prepared here (fixed-size per-page records of what each page holds, a ring of freed pages, the mapping) and write(2)s preformatted
/// lines; the compromises (dladdr's loader lock, unlocked updates that a concurrent report may see
/// half-written) are stated in `jr_crash.h`. One reporter per process; every other thread that runs JIT code
/// calls ``prepareCurrentThread()`` once for its own alternate stack.
public final class CrashReporter: @unchecked Sendable {
    private static let isInstalled = Mutex(false)

    private let pageCount: Int
    /// Whether the main executable's symbol table was mapped (else only dladdr names native frames).
    public let namesStaticFunctions: Bool

    private init(pageCount: Int, namesStaticFunctions: Bool) {
        self.pageCount = pageCount
        self.namesStaticFunctions = namesStaticFunctions
    }

    /// Installs the process's crash reporter for the code region [executableBase, + pageSize * pageCount).
    /// Native frames are named from the main executable's `.symtab` (mapped now, read only at a crash) and
    /// dladdr. Throws if one is already installed or a system call fails; a main executable without a
    /// readable symbol table is not an error (dladdr remains).
    public static func install(
        executableBase: UInt, pageSize: Int, pageCount: Int
    ) throws(DiagnosticsError) -> CrashReporter {
        guard pageSize > 0, pageSize & (pageSize - 1) == 0, pageCount > 0 else {
            throw .invalidArgument("page size \(pageSize) is not a power of two, or no pages")
        }
        let claimed = isInstalled.withLock { installed in
            if installed { return false }
            installed = true
            return true
        }
        guard claimed else { throw .invalidArgument("a crash reporter is already installed in this process") }
        guard jr_crash_configure(executableBase, UInt32(pageSize.trailingZeroBitCount), pageCount) == 0 else {
            isInstalled.withLock { $0 = false }
            throw DiagnosticsError.lastSystemError("jr_crash_configure")
        }
        let reporter = CrashReporter(pageCount: pageCount, namesStaticFunctions: mapMainExecutableSymbols())
        guard jr_crash_install() == 0 else {
            isInstalled.withLock { $0 = false }
            throw DiagnosticsError.lastSystemError("sigaction/sigaltstack")
        }
        return reporter
    }

    /// Maps the main executable's file for the handler's symbol lookups; false if it cannot.
    private static func mapMainExecutableSymbols() -> Bool {
        var path = [CChar](repeating: 0, count: 16)
        var bias: UInt = 0
        guard jr_loaded_object_containing(0, &path, path.count, &bias) == 0 else { return false }
        return jr_crash_map_symbols("/proc/self/exe", bias) == 0
    }

    /// The main executable's function containing `address` as a crash report names it (`.symtab`, static
    /// functions included), or nil. What the signal handler calls, callable any time.
    public static func executableSymbol(at address: UInt) -> String? {
        var start: UInt = 0
        guard let name = jr_crash_mapped_symbol(address, &start) else { return nil }
        return String(cString: name)
    }

    /// Gives the calling thread an alternate signal stack (once per thread that runs JIT code).
    public static func prepareCurrentThread() throws(DiagnosticsError) {
        guard jr_crash_prepare_thread() == 0 else { throw DiagnosticsError.lastSystemError("sigaltstack") }
    }

    /// Adds to what `page` holds now (shown if a crash happens there): a few stores, no text is made.
    public func pageHolds(_ page: Int, _ name: CodeName) {
        guard page >= 0 && page < pageCount else { return }
        name.addCrashRecord(page: page)
    }

    /// What live `page` holds, as a report would print it (`jit:a pc 0...3, ... (+N more)`).
    public func contents(of page: Int) -> String {
        guard page >= 0 && page < pageCount else { return "" }
        var buffer = [CChar](repeating: 0, count: 512)
        let length = jr_crash_describe_page(page, &buffer, buffer.count)
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Records that collection `gcNumber` freed `page`: its contents join the freed-page history.
    public func pageFreed(_ page: Int, gcNumber: Int) {
        guard page >= 0 && page < pageCount else { return }
        jr_crash_page_freed(page, UInt64(max(gcNumber, 0)))
    }

    /// Writes reports to `descriptor` instead of stderr.
    public func setOutput(_ descriptor: Int32) { jr_crash_set_output(descriptor) }

    /// Restores the previous signal actions. The executable's mapping stays: a report on another thread may
    /// still read it.
    public func uninstall() {
        jr_crash_uninstall()
        Self.isInstalled.withLock { $0 = false }
    }
}
