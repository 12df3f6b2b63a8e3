import CodeGC

/// The diagnostics a JIT feeds as it compiles and collects code: a perf map, the GDB JIT interface and the
/// crash reporter's page history. Each part is optional; the JIT makes two calls:
///
/// - after writing a block (or stub, or exit) it calls ``didCompile(_:name:)`` with the code's RX range and
///   a readable name, e.g. `jit:Foo#bar@pc12-30`;
/// - from ``CodeGCRoots/codeGC(_:didFreePages:)`` it calls ``didFreePages(_:gcNumber:)`` with the pages and
///   `collector.stats.codeGCCount`;
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

    /// Names compiled on each live page since it was allocated (for crash reports).
    private var pageNames: [Int: [String]] = [:]

    /// Creates the diagnostics for code in `space`.
    public init(space: any CodePageSpace, perfMap: PerfMap? = nil, gdb: GDBJITInterface? = nil, crashReporter: CrashReporter? = nil) {
        self.space = space
        self.perfMap = perfMap
        self.gdb = gdb
        self.crashReporter = crashReporter
    }

    /// `range` (RX addresses, on one page) now holds code called `name`.
    public func didCompile(_ range: Range<UInt>, name: String) throws(DiagnosticsError) {
        let page = try pageOf(range)
        try perfMap?.record(range, name: name)
        try gdb?.register(range, name: name)
        if let crashReporter {
            pageNames[page, default: []].append(name)
            crashReporter.setContents(of: page, to: Self.summary(pageNames[page]!))
        }
    }

    /// Collection number `gcNumber` freed `pages`. The perf map needs nothing (reused addresses get newer
    /// lines, which perf prefers); GDB objects on those pages are unregistered; the crash reporter records
    /// what each page held.
    public func didFreePages(_ pages: [Int], gcNumber: Int) {
        for page in pages {
            gdb?.unregister(page: page)
            crashReporter?.pageFreed(page, gcNumber: gcNumber)
            pageNames[page] = nil
        }
    }

    /// Writes buffered output (perf lines) so outside tools see it.
    public func safePoint() throws(DiagnosticsError) {
        try perfMap?.flush()
    }

    /// `a, b, c` for the first names, then `(+N more)`, within the crash reporter's per-page text size.
    static func summary(_ names: [String]) -> String {
        var text = ""
        for (index, name) in names.enumerated() {
            let piece = (text.isEmpty ? "" : ", ") + name
            if text.utf8.count + piece.utf8.count > 150 { return text + " (+\(names.count - index) more)" }
            text += piece
        }
        return text
    }

    private func pageOf(_ range: Range<UInt>) throws(DiagnosticsError) -> Int {
        let base = space.executableBase
        let end = base + UInt(space.pageCount * space.pageSize)
        guard !range.isEmpty, range.lowerBound >= base, range.upperBound <= end else {
            throw .invalidArgument("code range \(hex(range.lowerBound))..<\(hex(range.upperBound)) is empty or outside the region")
        }
        return Int((range.lowerBound - base) / UInt(space.pageSize))
    }
}

/// `0x`-prefixed lower-case hex.
func hex(_ value: UInt) -> String { "0x" + String(value, radix: 16) }
