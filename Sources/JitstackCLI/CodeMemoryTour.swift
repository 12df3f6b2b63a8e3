import ArgumentParser
import CShims
import CodeMemory
import X86Assembler

/// The code-memory part of `jitstack demo`: reserve a region, write and run code, free pages, page map,
/// stats and the cost of the two W^X schemes.
enum CodeMemoryTour {
    static func run(regionKiB: Int, pageKiB: Int, strategy: WXStrategyArgument, skipWXBenchmark: Bool) throws {
        let region = try CodeRegion(CodeRegionConfiguration(
            regionSize: regionKiB << 10, pageSize: pageKiB << 10, strategy: strategy.value))
        print("== Code region")
        print("reserved \(region.regionSize >> 10) KiB at \(hex(region.executableBase))..<\(hex(region.executableEnd)):",
              "\(region.pageCount) pages of \(region.pageSize >> 10) KiB, W^X by \(region.configuration.strategy),",
              region.isRegisteredWithUnwinder ? "registered with libunwind" : "not registered with libunwind")

        print("\n== Write and run")
        var pages: [PageIndex] = []
        var entries: [UInt] = []
        for multiplier in 1...6 {
            let page = try region.allocatePage()
            pages.append(page)
            let entry = try emitMultiplyBySumUpTo(Int32(multiplier), in: region, page: page)
            entries.append(entry)
            let result = call(entry, 10)
            print("\(page) inline  \(hex(entry)): \(multiplier) * (1 + ... + 10) = \(result)")
        }
        let absoluteValue = try emitCallToLabs(in: region, page: pages[0])
        print("\(pages[0]) outlined \(hex(absoluteValue)): calls C labs(-1234) through an rbp frame = \(call(absoluteValue, -1234))")

        print("\n== Free pages")
        let residentBefore = region.stats.residentBytes
        for index in [1, 3, 4] { try region.freePage(pages[index]) }
        let freedBytes = try region.bytes(at: entries[3], count: 8).map { hex($0) }.joined(separator: " ")
        print("freed \(pages[1]), \(pages[3]), \(pages[4]); code that was at \(hex(entries[3])) now reads \(freedBytes)")
        print("resident memory \(residentBefore >> 10) KiB -> \(region.stats.residentBytes >> 10) KiB")
        let reused = try region.allocatePage()
        let entry = try emitMultiplyBySumUpTo(7, in: region, page: reused)
        print("allocatePage() reuses \(reused): \(hex(entry)) computes 7 * (1 + ... + 10) = \(call(entry, 10))")

        print("\n== Page map (L live, f free, . uncommitted)")
        print(pageMap(of: region))

        print("\n== Stats")
        let stats = region.stats
        print("region \(stats.regionSize >> 10) KiB, page \(stats.pageSize >> 10) KiB, committed \(stats.committedBytes >> 10) KiB,",
              "resident \(stats.residentBytes >> 10) KiB")
        print("pages: \(stats.livePageCount) live, \(stats.freePageCount) free, \(stats.uncommittedPageCount) uncommitted;",
              "bytes used: \(stats.inlineBytesUsed) inline, \(stats.outlinedBytesUsed) outlined")

        if !skipWXBenchmark {
            print("\n== W^X cost (median of 5 runs; ns)")
            print("scheme          write 8 bytes + call   allocate page   free + reuse page")
            for scheme in WXStrategy.allCases {
                let cost = try WXCost.measure(scheme, pageSize: pageKiB << 10)
                print(scheme.rawValue.rightPadded(to: 16)
                      + String(cost.writeAndRun).leftPadded(to: 21) + String(cost.allocatePage).leftPadded(to: 16)
                      + String(cost.freeAndReuse).leftPadded(to: 20))
            }
        }
    }
}

/// `WXStrategy` as a command-line value.
struct WXStrategyArgument: ExpressibleByArgument {
    let value: WXStrategy
    static let dualMapping = WXStrategyArgument(value: .dualMapping)

    init(value: WXStrategy) { self.value = value }

    init?(argument: String) {
        guard let value = WXStrategy(rawValue: argument) else { return nil }
        self.value = value
    }

    static var allValueStrings: [String] { WXStrategy.allCases.map(\.rawValue) }
}

private typealias OneArgumentFunction = @convention(c) (Int) -> Int

private func call(_ entry: UInt, _ argument: Int) -> Int {
    unsafeBitCast(UnsafeRawPointer(bitPattern: entry)!, to: OneArgumentFunction.self)(argument)
}

/// `f(n) = multiplier * (1 + ... + n)`, a loop built with the assembler.
private func emitMultiplyBySumUpTo(_ multiplier: Int32, in region: CodeRegion, page: PageIndex) throws -> UInt {
    var asm = Assembler(baseAddress: region.bumpAddress(.inline, of: page))
    let loop = asm.newLabel(), done = asm.newLabel()
    asm.xor(.rax, .rax)
    asm.bind(loop)
    asm.test(.rdi, .rdi)
    asm.jcc(.zero, done)
    asm.add(.rax, .rdi)
    asm.sub(.rdi, 1)
    asm.jmp(loop)
    asm.bind(done)
    asm.imul(.rax, .rax, multiplier)
    asm.ret()
    return try region.emit(try asm.finalize(), in: .inline, of: page)
}

/// An rbp frame calling C's `labs` through a register: the shape every JIT call site keeps so the region's
/// one FDE describes it.
private func emitCallToLabs(in region: CodeRegion, page: PageIndex) throws -> UInt {
    let labs = UInt64(UInt(bitPattern: jr_lookup_symbol("labs")))
    var asm = Assembler(baseAddress: region.bumpAddress(.outlined, of: page))
    asm.push(.rbp)
    asm.mov(.rbp, .rsp)
    asm.movabs(.rax, labs)
    asm.call(.rax)
    asm.pop(.rbp)
    asm.ret()
    return try region.emit(try asm.finalize(), in: .outlined, of: page)
}

/// One character per page, 64 per line, each line prefixed by its first page index.
private func pageMap(of region: CodeRegion) -> String {
    var lines: [String] = []
    var line = ""
    region.forEachPage { page, state in
        if page.rawValue % 64 == 0 {
            if !line.isEmpty { lines.append(line) }
            line = String(page.rawValue).leftPadded(to: 6) + " "
        }
        line.append(state == .live ? "L" : state == .free ? "f" : ".")
    }
    lines.append(line)
    return lines.joined(separator: "\n")
}

/// Cost of the operations whose price depends on the W^X scheme, measured on a fresh region.
private struct WXCost {
    var writeAndRun: Int
    var allocatePage: Int
    var freeAndReuse: Int

    static func measure(_ scheme: WXStrategy, pageSize: Int) throws -> WXCost {
        var runs: [WXCost] = []
        for _ in 0..<5 { runs.append(try measureOnce(scheme, pageSize: pageSize)) }
        func median(_ values: [Int]) -> Int { values.sorted()[values.count / 2] }
        return WXCost(writeAndRun: median(runs.map(\.writeAndRun)), allocatePage: median(runs.map(\.allocatePage)),
                      freeAndReuse: median(runs.map(\.freeAndReuse)))
    }

    private static func measureOnce(_ scheme: WXStrategy, pageSize: Int) throws -> WXCost {
        let pages = 256
        let region = try CodeRegion(CodeRegionConfiguration(
            regionSize: pages * pageSize, pageSize: pageSize, strategy: scheme, registersWithUnwinder: false))
        let allocate = try nanosecondsPerIteration(pages) { _ throws in _ = try region.allocatePage() }

        // Rewrite a function's immediate and run it: what patching and then calling code costs.
        let page = PageIndex(0)
        let entry = try region.allocate(8, alignment: 8, in: .inline, of: page)
        var code: [UInt8] = [0xB8, 0, 0, 0, 0, 0xC3, 0xCC, 0xCC]  // mov eax, imm32; ret
        let cycles = scheme == .dualMapping ? 200_000 : 5_000
        var checksum = 0
        let writeAndRun = try nanosecondsPerIteration(cycles) { iteration throws in
            code[1] = UInt8(truncatingIfNeeded: iteration)
            try region.write(code, at: entry)
            checksum &+= call(entry, 0)
        }
        guard checksum >= 0 else { throw CodeMemoryError.invalidArgument("impossible checksum") }

        let reuse = try nanosecondsPerIteration(pages) { index throws in
            try region.freePage(PageIndex(index))
            _ = try region.allocatePage()
        }
        return WXCost(writeAndRun: writeAndRun, allocatePage: allocate, freeAndReuse: reuse)
    }

    private static func nanosecondsPerIteration(_ count: Int, _ body: (Int) throws -> Void) throws -> Int {
        let clock = ContinuousClock()
        let start = clock.now
        for iteration in 0..<count { try body(iteration) }
        let elapsed = clock.now - start
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        return Int(nanoseconds / Double(count))
    }
}

private func hex(_ value: UInt) -> String { "0x" + String(value, radix: 16) }
private func hex(_ value: UInt8) -> String { String(value, radix: 16, uppercase: true) }

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    fileprivate func rightPadded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
