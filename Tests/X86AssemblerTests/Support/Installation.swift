import CodeMemory
import X86Assembler

/// A JIT function of the System V signature `(rdi, rsi) -> rax`.
typealias BinaryFunction = @convention(c) (Int, Int) -> Int

/// Assembles code for the next free address of `half` in `page` and installs it there, the way the
/// JIT does: the base address is known before assembling. Returns the entry address.
func install(in region: CodeRegion, page: PageIndex, half: PageHalf = .inline, _ build: (inout Assembler) -> Void) throws -> UInt {
    // Start on an 8-byte boundary so `alignWithNops` in `build` is meaningful and tests are reproducible.
    let start = (region.bumpAddress(half, of: page) + 7) & ~7
    var assembler = Assembler(baseAddress: start)
    build(&assembler)
    try assembler.resolve()
    let address = try region.allocate(assembler.offset, alignment: 8, in: half, of: page)
    guard address == start else { throw InstallationMismatch(expected: start, actual: address) }
    // Straight from the assembler's buffer into the page, without an intermediate array.
    try assembler.withUnsafeCode { (code: UnsafeRawBufferPointer) throws(CodeMemoryError) in try region.write(code, at: address) }
    return address
}

struct InstallationMismatch: Error {
    let expected: UInt
    let actual: UInt
}

func binaryFunction(at address: UInt) -> BinaryFunction {
    unsafeBitCast(UnsafeRawPointer(bitPattern: address)!, to: BinaryFunction.self)
}

func smallRegion() throws -> CodeRegion {
    try CodeRegion(CodeRegionConfiguration(regionSize: 1 << 20, pageSize: 16 << 10, registersWithUnwinder: false))
}
