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

    public init(
        regionSize: Int = 64 << 20,
        pageSize: Int = 16 << 10,
        strategy: WXStrategy = .dualMapping,
        registersWithUnwinder: Bool = true
    ) {
        self.regionSize = regionSize
        self.pageSize = pageSize
        self.strategy = strategy
        self.registersWithUnwinder = registersWithUnwinder
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
        guard regionSize <= 1 << 40 else {
            throw .invalidConfiguration("regionSize \(regionSize) exceeds 1 TiB")
        }
        return self
    }
}
