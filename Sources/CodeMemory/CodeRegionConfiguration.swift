/// Shape of a code region, fixed at creation.
public struct CodeRegionConfiguration: Sendable, Equatable {
    /// Bytes of address space reserved up front; a multiple of `pageSize`. Default 64 MiB.
    public var regionSize: Int
    /// Bytes per code page: a power of two, at least the OS page size. Default 16 KiB.
    public var pageSize: Int
    /// How W^X is kept. Default `.dualMapping`.
    public var strategy: WXStrategy
    /// Register the region's executable range with libunwind so precise walks are exact through JIT frames
    /// (every JIT call site must run with an rbp frame). Default true.
    public var registersWithUnwinder: Bool
    /// Bytes added to each predicted outlined window (see `CodeRegion.makeRoom`). A writer that checks room
    /// before each instruction stops a page when either part is short of its per-instruction margin; with
    /// this much spare room in the window, the inline part is the one that fills first. Default 256.
    public var outlinedHeadroom: Int

    public init(
        regionSize: Int = 64 << 20,
        pageSize: Int = 16 << 10,
        strategy: WXStrategy = .dualMapping,
        registersWithUnwinder: Bool = true,
        outlinedHeadroom: Int = 256
    ) {
        self.regionSize = regionSize
        self.pageSize = pageSize
        self.strategy = strategy
        self.registersWithUnwinder = registersWithUnwinder
        self.outlinedHeadroom = outlinedHeadroom
    }

    /// Checks the configuration against the OS page size.
    func validated(osPageSize: Int) throws(CodeMemoryError) -> CodeRegionConfiguration {
        guard pageSize > 0, pageSize & (pageSize - 1) == 0 else {
            throw .invalidConfiguration("pageSize \(pageSize) is not a power of two")
        }
        guard pageSize >= osPageSize else {
            throw .invalidConfiguration("pageSize \(pageSize) is smaller than the OS page (\(osPageSize))")
        }
        guard regionSize >= pageSize, regionSize % pageSize == 0 else {
            throw .invalidConfiguration("regionSize \(regionSize) is not a positive multiple of pageSize \(pageSize)")
        }
        guard outlinedHeadroom >= 0, outlinedHeadroom <= pageSize / 2 else {
            throw .invalidConfiguration("outlinedHeadroom \(outlinedHeadroom) is not between 0 and half a page (\(pageSize / 2))")
        }
        guard regionSize <= 1 << 40 else {
            throw .invalidConfiguration("regionSize \(regionSize) exceeds 1 TiB")
        }
        return self
    }
}
