import CodeMemory
import CTestFixtures
import Testing

@Suite("Generated code runs at RX addresses")
struct GeneratedCodeExecutionTests {
    @Test("A constant-returning function runs", arguments: WXStrategy.allCases)
    func constantReturnRuns(strategy: WXStrategy) throws {
        let region = try makeRegion(strategy: strategy)
        let page = try region.allocatePage()
        let entry = try region.emit(MachineCode.returnConstant(42), in: .inline, of: page)
        #expect(region.pageIndex(containing: entry) == page)
        #expect(function(at: entry, as: NoArgumentFunction.self)() == 42)
        try expectNoWritableExecutableMapping()
    }

    @Test("A function adds its two arguments", arguments: WXStrategy.allCases)
    func argumentArithmeticRuns(strategy: WXStrategy) throws {
        let region = try makeRegion(strategy: strategy)
        let page = try region.allocatePage()
        let add = function(at: try region.emit(MachineCode.addArguments, in: .outlined, of: page), as: TwoArgumentFunction.self)
        #expect(add(40, 2) == 42)
        #expect(add(-7, 3) == -4)
        try expectNoWritableExecutableMapping()
    }

    @Test("JIT code calls a C function and gets its result back", arguments: WXStrategy.allCases)
    func callIntoCAndBack(strategy: WXStrategy) throws {
        let region = try makeRegion(strategy: strategy)
        let page = try region.allocatePage()
        let target = UInt(bitPattern: unsafeBitCast(fixture_scale_and_add as TwoArgumentFunction, to: Int.self))
        let entry = try region.emit(MachineCode.callPlusOne(target), alignment: 16, in: .inline, of: page)
        #expect(entry % 16 == 0)
        let call = function(at: entry, as: TwoArgumentFunction.self)
        #expect(call(5, 2) == 5 * 3 + 2 + 1)
        #expect(call(-1, 100) == -3 + 100 + 1)
        try expectNoWritableExecutableMapping()
    }

    @Test("Code keeps running after later code is written to the same page", arguments: WXStrategy.allCases)
    func earlierCodeSurvivesLaterWrites(strategy: WXStrategy) throws {
        let region = try makeRegion(strategy: strategy)
        let page = try region.allocatePage()
        let entries = try (0..<20).map { value throws in
            try region.emit(MachineCode.returnConstant(UInt32(value)), alignment: 8, in: .inline, of: page)
        }
        for (value, entry) in entries.enumerated() {
            #expect(function(at: entry, as: NoArgumentFunction.self)() == value)
        }
        try expectNoWritableExecutableMapping()
    }
}
