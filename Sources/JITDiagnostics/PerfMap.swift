import Glibc
import Synchronization

/// A Linux perf map: `/tmp/perf-PID.map`, one `START SIZE name` line (hex, no `0x`) per compiled code range,
/// which `perf report` uses to name samples in JIT code.
///
/// The file is append-only. When the collector frees a page and the JIT reuses its addresses, the new code
/// simply gets a new line: perf takes the last entry for an address, so the map stays right across GC with
/// no rewriting. Lines are buffered in memory and written at ``flush()`` (call it at safe points, e.g. after
/// each collection) and when the process exits normally (`atexit`).
///
/// Thread safety: every call takes an internal lock (the JIT usually calls it under its own lock anyway).
public final class PerfMap: Sendable {
    /// The file written.
    public let path: String
    private let state: Mutex<State>

    private struct State {
        var descriptor: Int32
        var buffer: [UInt8] = []
        var entryCount = 0
    }

    /// Bytes buffered before ``record(_:name:)`` writes them out by itself.
    static let flushThreshold = 64 << 10

    /// `/tmp/perf-<pid>.map`, where perf looks for the map of process `pid`.
    public static func defaultPath(processID: Int32 = getpid()) -> String { "/tmp/perf-\(processID).map" }

    /// Creates (or truncates) the map file at `path` and arranges a flush at normal process exit.
    public init(path: String = PerfMap.defaultPath()) throws(DiagnosticsError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw DiagnosticsError.lastSystemError("open(\(path))") }
        self.path = path
        state = Mutex(State(descriptor: descriptor))
        ExitFlusher.shared.add(self)
    }

    deinit {
        state.withLock { state in
            _ = try? Self.drain(&state)
            if state.descriptor >= 0 { Glibc.close(state.descriptor) }
            state.descriptor = -1
        }
    }

    /// Lines recorded so far (written or still buffered).
    public var entryCount: Int { state.withLock { $0.entryCount } }

    /// Records that `range` now holds code called `name` (newlines and control characters become spaces).
    /// Empty ranges are ignored. Writes the buffer out once it passes 64 KiB.
    public func record(_ range: Range<UInt>, name: String) throws(DiagnosticsError) {
        guard !range.isEmpty else { return }
        try state.withLock { (state: inout State) throws(DiagnosticsError) in
            Self.appendHex(range.lowerBound, to: &state.buffer)
            state.buffer.append(UInt8(ascii: " "))
            Self.appendHex(UInt(range.count), to: &state.buffer)
            state.buffer.append(UInt8(ascii: " "))
            for byte in name.utf8 { state.buffer.append(byte < 0x20 || byte == 0x7f ? UInt8(ascii: " ") : byte) }
            state.buffer.append(UInt8(ascii: "\n"))
            state.entryCount += 1
            if state.buffer.count >= Self.flushThreshold { try Self.drain(&state) }
        }
    }

    /// Writes every buffered line to the file (a safe point: perf can read the map now).
    public func flush() throws(DiagnosticsError) {
        try state.withLock { (state: inout State) throws(DiagnosticsError) in try Self.drain(&state) }
    }

    private static func drain(_ state: inout State) throws(DiagnosticsError) {
        guard state.descriptor >= 0, !state.buffer.isEmpty else { return }
        var written = 0
        let total = state.buffer.count
        let failure: DiagnosticsError? = state.buffer.withUnsafeBytes { bytes in
            while written < total {
                let result = write(state.descriptor, bytes.baseAddress! + written, total - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return DiagnosticsError.lastSystemError("write(perf map)")
                }
                written += result
            }
            return nil
        }
        state.buffer.removeFirst(written)
        if let failure { throw failure }
    }

    /// Lower-case hex without `0x`, as perf expects.
    private static func appendHex(_ value: UInt, to buffer: inout [UInt8]) {
        guard value != 0 else { buffer.append(UInt8(ascii: "0")); return }
        let digits = (UInt.bitWidth - value.leadingZeroBitCount + 3) / 4
        for index in stride(from: digits - 1, through: 0, by: -1) {
            let nibble = UInt8((value >> UInt(index * 4)) & 0xf)
            buffer.append(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10)
        }
    }

    fileprivate func flushAtExit() { try? flush() }
}

/// Flushes every live perf map when the process exits normally.
private final class ExitFlusher: Sendable {
    static let shared: ExitFlusher = {
        let flusher = ExitFlusher()
        atexit { ExitFlusher.shared.flushAll() }
        return flusher
    }()

    private struct WeakMap { weak var map: PerfMap? }
    private let maps = Mutex<[WeakMap]>([])

    func add(_ map: PerfMap) {
        maps.withLock { maps in
            maps.removeAll { $0.map == nil }
            maps.append(WeakMap(map: map))
        }
    }

    func flushAll() {
        let live = maps.withLock { $0.compactMap(\.map) }
        for map in live { map.flushAtExit() }
    }
}
