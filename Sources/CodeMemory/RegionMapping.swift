import CShims
import Glibc

/// The OS side of a region: one memfd holding every code page plus one INT3 page, mapped as an RX view and,
/// for `.dualMapping`, a separate RW view. All protection changes and memory returns happen here.
///
/// File layout: page `i` at offset `i * pageSize`; the INT3 page at `regionSize`. A freed page's RX
/// addresses map the INT3 page (so a stale return traps at once and reads show 0xCC) while its own file
/// range is punched out (memory back to the OS). Uncommitted pages are PROT_NONE in both views.
struct RegionMapping {
    let fd: Int32
    let executableBase: UnsafeMutableRawPointer
    /// Equal to `executableBase` for `.mprotectToggle`.
    let writableBase: UnsafeMutableRawPointer
    let regionSize: Int
    let pageSize: Int
    let strategy: WXStrategy

    static let int3: Int32 = 0xCC

    static func create(regionSize: Int, pageSize: Int, strategy: WXStrategy) throws(SystemCallError) -> RegionMapping {
        let fd = try systemCall("memfd_create") { jr_memfd_create("jitstack-code") }
        var executable: UnsafeMutableRawPointer?
        var writable: UnsafeMutableRawPointer?
        do {
            // Sparse file: no memory until a page is written.
            _ = try systemCall("ftruncate") { jr_ftruncate(fd, off_t(regionSize + pageSize)) }
            try fillInt3Page(fd: fd, offset: regionSize, pageSize: pageSize)
            executable = try systemCall("mmap") { jr_mmap(nil, regionSize, PROT_NONE, MAP_SHARED, fd, 0) }
            if strategy == .dualMapping {
                writable = try systemCall("mmap") { jr_mmap(nil, regionSize, PROT_NONE, MAP_SHARED, fd, 0) }
            } else {
                writable = executable
            }
        } catch {
            if let writable, writable != executable { _ = jr_munmap(writable, regionSize) }
            if let executable { _ = jr_munmap(executable, regionSize) }
            _ = jr_close(fd)
            throw error
        }
        return RegionMapping(
            fd: fd, executableBase: executable!, writableBase: writable!,
            regionSize: regionSize, pageSize: pageSize, strategy: strategy)
    }

    private static func fillInt3Page(fd: Int32, offset: Int, pageSize: Int) throws(SystemCallError) {
        let page = try systemCall("mmap") {
            jr_mmap(nil, pageSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off_t(offset))
        }
        memset(page, int3, pageSize)
        _ = try systemCall("munmap") { jr_munmap(page, pageSize) }
    }

    func destroy() {
        if writableBase != executableBase { _ = jr_munmap(writableBase, regionSize) }
        _ = jr_munmap(executableBase, regionSize)
        _ = jr_close(fd)
    }

    private func executablePage(_ index: Int) -> UnsafeMutableRawPointer { executableBase + index * pageSize }
    private func writablePage(_ index: Int) -> UnsafeMutableRawPointer { writableBase + index * pageSize }

    /// Makes a never-used page live: filled with INT3, RX in the executable view, RW in the writable one.
    func commit(_ index: Int) throws(SystemCallError) {
        let rx = executablePage(index)
        switch strategy {
        case .dualMapping:
            let rw = writablePage(index)
            _ = try systemCall("mprotect") { jr_mprotect(rw, pageSize, PROT_READ | PROT_WRITE) }
            memset(rw, Self.int3, pageSize)
            _ = try systemCall("mprotect") { jr_mprotect(rx, pageSize, PROT_READ | PROT_EXEC) }
        case .mprotectToggle:
            _ = try systemCall("mprotect") { jr_mprotect(rx, pageSize, PROT_READ | PROT_WRITE) }
            memset(rx, Self.int3, pageSize)
            _ = try systemCall("mprotect") { jr_mprotect(rx, pageSize, PROT_READ | PROT_EXEC) }
        }
    }

    /// Makes a freed page live again: its own (punched, zero) file range mapped back and filled with INT3.
    func recommit(_ index: Int) throws(SystemCallError) {
        let rx = executablePage(index)
        let offset = off_t(index * pageSize)
        switch strategy {
        case .dualMapping:
            let rw = writablePage(index)
            _ = try systemCall("mprotect") { jr_mprotect(rw, pageSize, PROT_READ | PROT_WRITE) }
            memset(rw, Self.int3, pageSize)
            _ = try systemCall("mmap") {
                jr_mmap(rx, pageSize, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED, fd, offset)
            }
        case .mprotectToggle:
            _ = try systemCall("mmap") {
                jr_mmap(rx, pageSize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, offset)
            }
            memset(rx, Self.int3, pageSize)
            _ = try systemCall("mprotect") { jr_mprotect(rx, pageSize, PROT_READ | PROT_EXEC) }
        }
    }

    /// Retires a live page. First its RX addresses switch to the shared INT3 page in one MAP_FIXED mmap
    /// (never unmapped, never zero: a stale return traps); if that fails nothing changed. Then its file
    /// range is punched out, returning the memory (madvise(MADV_DONTNEED) would not: shmem pages stay in the
    /// page cache), and its RW view is closed so stray writes fault.
    func retire(_ index: Int, afterRemap: () -> Void) throws(SystemCallError) {
        let rx = executablePage(index)
        _ = try systemCall("mmap") {
            jr_mmap(rx, pageSize, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED, fd, off_t(regionSize))
        }
        afterRemap()
        _ = try systemCall("fallocate") { jr_punch_hole(fd, off_t(index * pageSize), off_t(pageSize)) }
        if strategy == .dualMapping {
            _ = try systemCall("mprotect") { jr_mprotect(writablePage(index), pageSize, PROT_NONE) }
        }
    }

    /// Runs `body` with the RW address of `executableAddress` (`count` bytes inside page `index`). With
    /// `.mprotectToggle` the page is RW (not executable) for the duration of `body`.
    @inline(__always)
    func withWritable<R>(
        page index: Int, executableAddress: UInt, _ body: (UnsafeMutableRawPointer) -> R
    ) throws(SystemCallError) -> R {
        let offset = Int(executableAddress - UInt(bitPattern: executableBase))
        switch strategy {
        case .dualMapping:
            return body(writableBase + offset)
        case .mprotectToggle:
            let rx = executablePage(index)
            _ = try systemCall("mprotect") { jr_mprotect(rx, pageSize, PROT_READ | PROT_WRITE) }
            let result = body(executableBase + offset)
            _ = try systemCall("mprotect") { jr_mprotect(rx, pageSize, PROT_READ | PROT_EXEC) }
            return result
        }
    }

    /// Bytes of memory the memfd really holds.
    var residentBytes: Int { max(0, Int(jr_file_allocated_bytes(fd))) }
}
