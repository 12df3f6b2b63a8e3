import CShims
import Glibc
import Synchronization

/// Reports execution that reaches freed or invalid JIT code, then aborts.
///
/// ``install(executableBase:pageSize:pageCount:symbols:)`` puts a handler for SIGTRAP, SIGSEGV, SIGILL and
/// SIGBUS on an alternate signal stack. When the faulting pc (an `int3`'s address, a fetch fault, or the
/// faulting data address) lies in the code region it writes to stderr the address, its page, whether and by
/// which collection that page was freed and what it held (the last 512 freed pages are remembered), and the
/// native stack walked with libunwind from the signal context, each frame tagged JIT, C or Swift and named
/// from the given symbol tables (static functions too) or dladdr; then it aborts (SIGABRT). Faults elsewhere
/// go to the previous handler or the default action.
///
/// The handler only reads state prepared here (fixed-size per-page text, a ring of freed pages, sorted
/// symbols) and write(2)s preformatted lines; the compromises (dladdr's loader lock, unlocked updates that
/// a concurrent report may see half-written) are stated in `jr_crash.h`. One reporter per process; every
/// other thread that runs JIT code calls ``prepareCurrentThread()`` once for its own alternate stack.
public final class CrashReporter: @unchecked Sendable {
    private static let isInstalled = Mutex(false)

    /// Symbols handed to C: stable buffers that live as long as the reporter.
    private let starts: UnsafeMutableBufferPointer<UInt>
    private let sizes: UnsafeMutableBufferPointer<UInt64>
    private let names: UnsafeMutableBufferPointer<UnsafePointer<CChar>?>
    private let pageCount: Int

    private init(pageCount: Int, symbols: [SymbolTable]) {
        self.pageCount = pageCount
        let functions = symbols.flatMap(\.functions).sorted { $0.range.lowerBound < $1.range.lowerBound }
        starts = .allocate(capacity: max(functions.count, 1))
        sizes = .allocate(capacity: max(functions.count, 1))
        names = .allocate(capacity: max(functions.count, 1))
        for (index, function) in functions.enumerated() {
            starts[index] = function.range.lowerBound
            sizes[index] = UInt64(function.range.count)
            names[index] = UnsafePointer(strdup(function.name))
        }
        jr_crash_set_symbols(starts.baseAddress, sizes.baseAddress, names.baseAddress, functions.count)
    }

    /// Installs the process's crash reporter for the code region [executableBase, + pageSize * pageCount).
    /// `symbols` name C functions (static ones too) in stacks; dladdr covers the rest. Throws if one is
    /// already installed or a system call fails.
    public static func install(
        executableBase: UInt, pageSize: Int, pageCount: Int, symbols: [SymbolTable] = []
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
        let reporter = CrashReporter(pageCount: pageCount, symbols: symbols)
        guard jr_crash_install() == 0 else {
            isInstalled.withLock { $0 = false }
            throw DiagnosticsError.lastSystemError("sigaction/sigaltstack")
        }
        return reporter
    }

    /// Gives the calling thread an alternate signal stack (once per thread that runs JIT code).
    public static func prepareCurrentThread() throws(DiagnosticsError) {
        guard jr_crash_prepare_thread() == 0 else { throw DiagnosticsError.lastSystemError("sigaltstack") }
    }

    /// Sets what `page` holds now (shown if a crash happens there), e.g. the names of its blocks.
    public func setContents(of page: Int, to text: String) {
        guard page >= 0 && page < pageCount else { return }
        jr_crash_set_page_text(page, text)
    }

    /// Records that collection `gcNumber` freed `page`: its contents join the freed-page history.
    public func pageFreed(_ page: Int, gcNumber: Int) {
        guard page >= 0 && page < pageCount else { return }
        jr_crash_page_freed(page, UInt64(max(gcNumber, 0)))
    }

    /// Writes reports to `descriptor` instead of stderr.
    public func setOutput(_ descriptor: Int32) { jr_crash_set_output(descriptor) }

    /// Restores the previous signal actions. The symbol buffers stay allocated: a report on another thread
    /// may still read them.
    public func uninstall() {
        jr_crash_uninstall()
        Self.isInstalled.withLock { $0 = false }
    }
}
