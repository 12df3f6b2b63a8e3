import Glibc
import Synchronization

/// A perf jitdump file (`jit-PID.dump`): one `JIT_CODE_LOAD` record per compiled code range, with its
/// bytes, timestamped with CLOCK_MONOTONIC. After `perf record -k mono`, `perf inject --jit` turns the
/// records into small ELF objects, so `perf report` names JIT frames even where it ignores perf-PID.map
/// (perf 6.1 and memfd-backed code, which this region is). A range reused after a code GC gets a later
/// record; perf uses the one in effect at each sample's time.
///
/// The file is mapped once executable-readable when created: perf notices the jitdump through that
/// mapping. Records are written at once (one write(2) each). Every call takes an internal lock.
public final class JitDump: Sendable {
    /// The file written.
    public let path: String
    private let state: Mutex<State>

    private struct State {
        var descriptor: Int32
        var marker: UnsafeMutableRawPointer?
        var index: UInt64 = 0
    }

    /// `DIR/jit-<pid>.dump` (perf inject finds it through the recorded mapping, wherever it is).
    public static func defaultPath(directory: String = "/tmp", processID: Int32 = getpid()) -> String {
        "\(directory)/jit-\(processID).dump"
    }

    /// Creates (or truncates) the file, writes its header and maps it so perf records where it is.
    public init(path: String = JitDump.defaultPath()) throws(DiagnosticsError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw DiagnosticsError.lastSystemError("open(\(path))") }
        var header: [UInt8] = []
        Self.append(UInt32(0x4A69_5444), to: &header)  // "JiTD"
        Self.append(UInt32(1), to: &header)             // version
        Self.append(UInt32(40), to: &header)            // header size
        Self.append(UInt32(62), to: &header)            // EM_X86_64
        Self.append(UInt32(0), to: &header)             // padding
        Self.append(UInt32(bitPattern: getpid()), to: &header)
        Self.append(Self.timestamp(), to: &header)
        Self.append(UInt64(0), to: &header)             // flags
        guard Self.writeAll(descriptor, header) else {
            let error = DiagnosticsError.lastSystemError("write(\(path))")
            Glibc.close(descriptor)
            throw error
        }
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let marker = mmap(nil, pageSize, PROT_READ | PROT_EXEC, MAP_PRIVATE, descriptor, 0)
        guard let marker, marker != MAP_FAILED else {
            let error = DiagnosticsError.lastSystemError("mmap(\(path))")
            Glibc.close(descriptor)
            throw error
        }
        self.path = path
        state = Mutex(State(descriptor: descriptor, marker: marker))
    }

    deinit {
        state.withLock { state in
            if let marker = state.marker { munmap(marker, Int(sysconf(Int32(_SC_PAGESIZE)))) }
            if state.descriptor >= 0 { Glibc.close(state.descriptor) }
            state.descriptor = -1
        }
    }

    /// Records written so far.
    public var recordCount: Int { state.withLock { Int($0.index) } }

    /// Records that `range` now holds `code` (its bytes), called `name`.
    public func record(_ range: Range<UInt>, name: String, code: [UInt8]) throws(DiagnosticsError) {
        guard !range.isEmpty, code.count == range.count else { return }
        try state.withLock { (state: inout State) throws(DiagnosticsError) in
            var record: [UInt8] = []
            let nameBytes = Array(name.utf8) + [0]
            let size = 16 + 40 + nameBytes.count + code.count
            Self.append(UInt32(0), to: &record)  // JIT_CODE_LOAD
            Self.append(UInt32(size), to: &record)
            Self.append(Self.timestamp(), to: &record)
            Self.append(UInt32(bitPattern: getpid()), to: &record)
            Self.append(UInt32(bitPattern: getpid()), to: &record)  // tid: the process (mappings are per process)
            Self.append(UInt64(range.lowerBound), to: &record)  // vma
            Self.append(UInt64(range.lowerBound), to: &record)  // code address
            Self.append(UInt64(range.count), to: &record)
            Self.append(state.index, to: &record)
            record += nameBytes
            record += code
            guard Self.writeAll(state.descriptor, record) else { throw DiagnosticsError.lastSystemError("write(jitdump)") }
            state.index += 1
        }
    }

    /// CLOCK_MONOTONIC in nanoseconds (what `perf record -k mono` stamps samples with).
    static func timestamp() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}
