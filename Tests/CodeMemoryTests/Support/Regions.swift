import CodeMemory
import Testing

/// A small region for a test. Unregistered by default: registering and cancelling while another test walks
/// its stack would race (libunwind reads its registration list without a lock), so only the serialized
/// unwinding suite registers.
func makeRegion(
    regionSize: Int = 1 << 20, pageSize: Int = 16 << 10, strategy: WXStrategy = .dualMapping,
    registersWithUnwinder: Bool = false
) throws -> CodeRegion {
    try CodeRegion(CodeRegionConfiguration(
        regionSize: regionSize, pageSize: pageSize, strategy: strategy, registersWithUnwinder: registersWithUnwinder))
}

/// Records an issue for every mapping of the process that is writable and executable at once.
func expectNoWritableExecutableMapping(sourceLocation: SourceLocation = #_sourceLocation) throws {
    let offenders = try writableExecutableMappings()
    #expect(offenders.isEmpty, "rwx mappings: \(offenders)", sourceLocation: sourceLocation)
}
