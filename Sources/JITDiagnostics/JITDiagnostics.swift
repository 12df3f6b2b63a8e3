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

    /// Creates the diagnostics for code in `space`.
    public init(space: any CodePageSpace, perfMap: PerfMap? = nil) {
        self.space = space
        self.perfMap = perfMap
    }

    /// `range` (RX addresses) now holds code called `name`.
    public func didCompile(_ range: Range<UInt>, name: String) throws(DiagnosticsError) {
        try checkInRegion(range)
        try perfMap?.record(range, name: name)
    }

    /// Collection number `gcNumber` freed `pages`. The perf map needs nothing: reused addresses get newer
    /// lines, which perf prefers.
    public func didFreePages(_ pages: [Int], gcNumber: Int) {}

    /// Writes buffered output (perf lines) so outside tools see it.
    public func safePoint() throws(DiagnosticsError) {
        try perfMap?.flush()
    }

    private func checkInRegion(_ range: Range<UInt>) throws(DiagnosticsError) {
        let end = space.executableBase + UInt(space.pageCount * space.pageSize)
        guard !range.isEmpty, range.lowerBound >= space.executableBase, range.upperBound <= end else {
            throw .invalidArgument("code range \(hex(range.lowerBound))..<\(hex(range.upperBound)) is empty or outside the region")
        }
    }
}

/// `0x`-prefixed lower-case hex.
func hex(_ value: UInt) -> String { "0x" + String(value, radix: 16) }
