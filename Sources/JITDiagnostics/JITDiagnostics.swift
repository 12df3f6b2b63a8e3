import CodeGC

/// The diagnostics a JIT feeds as it compiles and collects code: a perf map, the GDB JIT interface and the
/// crash reporter's page history. Each part is optional; the JIT makes two calls:
///
/// - after writing a block (or stub, or exit) it calls ``didCompile(_:name:)`` with the code's RX range and
///   its ``CodeName`` (made into text only if an output wants text), or a readable name as a `String`;
/// - from ``CodeGCRoots/codeGC(_:didFreePages:)`` it calls ``didFreePages(_:gcNumber:)`` with the pages and
///   `collector.collectionCount`;
///
/// and ``safePoint()`` now and then (after each collection is a good place) to write buffered perf lines.
///
/// Not thread-safe by itself: call it where the JIT serializes compilation and collection (its VM lock).
public final class JITDiagnostics {
    /// The region's geometry (RX base, page size, page count).
    public let space: any CodePageSpace
    /// Where compiled ranges are written for perf, if enabled.
    public let perfMap: PerfMap?
    /// GDB registration of compiled code, if enabled.
    public let gdb: GDBJITInterface?
    /// The crash reporter told what each page holds and when it is freed, if enabled.
    public let crashReporter: CrashReporter?

    /// The region's bounds and page size, read once (the space is an existential: a call per compile).
    private let base: UInt
    private let end: UInt
    private let pageSize: UInt
    /// log2 of the page size when it is a power of two (a shift, not a division, per compile), else nil.
    private let pageShift: UInt?

    /// Creates the diagnostics for code in `space`.
    public init(space: any CodePageSpace, perfMap: PerfMap? = nil, gdb: GDBJITInterface? = nil, crashReporter: CrashReporter? = nil) {
        self.space = space
        self.perfMap = perfMap
        self.gdb = gdb
        self.crashReporter = crashReporter
        base = space.executableBase
        pageSize = UInt(space.pageSize)
        end = base + UInt(space.pageCount) * pageSize
        pageShift = pageSize.nonzeroBitCount == 1 ? UInt(pageSize.trailingZeroBitCount) : nil
    }

    /// Whether a compile's name becomes text now (a perf map or GDB is on). Without them a compile costs a
    /// few stores into the crash reporter's page records, and no name is formatted.
    public var writesNames: Bool { perfMap != nil || gdb != nil }

    /// `range` (RX addresses, on one page) now holds code called `name`.
    public func didCompile(_ range: Range<UInt>, name: CodeName) throws(DiagnosticsError) {
        let page = try pageOf(range)
        if writesNames {
            let text = name.text
            try perfMap?.record(range, name: text)
            try gdb?.register(range, name: text)
        }
        crashReporter?.pageHolds(page, name)
    }

    /// `range` (RX addresses, on one page) now holds code called `name`, as given.
    public func didCompile(_ range: Range<UInt>, name: String) throws(DiagnosticsError) {
        try didCompile(range, name: .verbatim(name))
    }

    /// Collection number `gcNumber` freed `pages`. The perf map needs nothing (reused addresses get newer
    /// lines, which perf prefers); GDB objects on those pages are unregistered; the crash reporter records
    /// what each page held.
    public func didFreePages(_ pages: [Int], gcNumber: Int) {
        guard gdb != nil || crashReporter != nil else { return }
        for page in pages {
            gdb?.unregister(page: page)
            crashReporter?.pageFreed(page, gcNumber: gcNumber)
        }
    }

    /// Writes buffered output (perf lines) so outside tools see it.
    public func safePoint() throws(DiagnosticsError) {
        try perfMap?.flush()
    }

    private func pageOf(_ range: Range<UInt>) throws(DiagnosticsError) -> Int {
        guard !range.isEmpty, range.lowerBound >= base, range.upperBound <= end else {
            throw .invalidArgument("code range \(hex(range.lowerBound))..<\(hex(range.upperBound)) is empty or outside the region")
        }
        let offset = range.lowerBound - base
        return Int(pageShift.map { offset >> $0 } ?? offset / pageSize)
    }
}

/// `0x`-prefixed lower-case hex.
func hex(_ value: UInt) -> String { "0x" + String(value, radix: 16) }
