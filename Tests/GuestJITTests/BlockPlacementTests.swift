import CodeMemory
import GuestJIT
import Testing

/// Issue 5's steady state at 80%: how many of the round-robin methods stay compiled depends on how full
/// the region's pages get. Blocks that fit a page go whole where they fit: the current page, packed into
/// its free stretch, or (no unused page left) the first earlier page with room.
@Suite("Blocks are placed where they fit", .serialized)
struct BlockPlacementTests {
    static let pageSize = 4 << 10

    static func configuration(region: Int) -> JITConfiguration {
        JITConfiguration(callThreshold: 2, regionSize: region, pageSize: pageSize)
    }

    /// Live pages of the round-robin program when nothing limits the region.
    static func unlimitedPages(_ source: String) throws -> Int {
        let (_, jitOrNil) = try GuestRun.output(source, jit: configuration(region: 64 << 20))
        let jit = try #require(jitOrNil)
        return try #require(jit.stat("live_page_count"))
    }

    @Test func aRegionAtEightyPercentOfTheRoundRobinCodeIsFilledWithCode() throws {
        let methods = 600
        let source = PagePackingTests.roundRobin(methods: methods)
        let pages = try Self.unlimitedPages(source) * 8 / 10
        let (expected, _) = try GuestRun.output(source, jit: nil)
        let (got, jitOrNil) = try GuestRun.output(source, jit: Self.configuration(region: pages * Self.pageSize))
        #expect(got == expected)
        let jit = try #require(jitOrNil)
        #expect(jit.stat("live_page_count") == pages)
        #expect(jit.stat("evicted_iseq_count") == 0)
        // Splitting every block at page ends left ~80% of such a region's bytes holding code (309 of the 601
        // methods compiled): the rest were margins at page ends that no later block could use.
        let code = try #require(jit.stat("inline_code_size")) + #require(jit.stat("outlined_code_size"))
        // Whole placement reaches ~96% (a page's end keeps less than one tiny method's bytes; 94.8% when
        // every re-placed block kept 8 bytes of slack): the bound leaves room for code size to change.
        #expect(Double(code) >= 0.94 * Double(pages * Self.pageSize), "\(code) bytes of code in \(pages) pages")
        let compiled = try #require(jit.stat("compiled_iseq_count"))
        #expect(compiled >= methods * 7 / 10)
        // The ends of the driver's pages took methods once no unused page was left.
        let gapPlacements = try #require(jit.stat("gap_placement_count"))
        #expect(gapPlacements > 0)
    }

    @Test func anUnlimitedRegionTakesNoEarlierPagesGapsAndComputesTheSame() throws {
        let source = PagePackingTests.roundRobin(methods: 200)
        let (expected, _) = try GuestRun.output(source, jit: nil)
        let (got, jitOrNil) = try GuestRun.output(source, jit: Self.configuration(region: 64 << 20))
        #expect(got == expected)
        let jit = try #require(jitOrNil)
        #expect(jit.stat("compiled_iseq_count") == 201)
        // Unused pages are left: new code goes to the current or a fresh page, never back into old pages.
        #expect(jit.stat("gap_placement_count") == 0)
    }

    @Test func theCodeAfterASplitBlockContinuesOnThePageTheSplitBlockEndedOn() throws {
        // One block longer than a page, then a small method: it goes to the long block's last page rather
        // than to a fresh page.
        let body = (0..<300).map { "  x = x + \($0) - (x - x)" }.joined(separator: "\n")
        let source = "def long(x)\n\(body)\n  x\nend\ndef small(x)\n  x + 1\nend\np long(1)\np small(2)\n"
        let (expected, _) = try GuestRun.output(source, jit: nil)
        let run = try GuestRun(jit: JITConfiguration(callThreshold: 1, regionSize: 256 << 10, pageSize: Self.pageSize))
        let got = try run.run(source)
        #expect(got == expected)
        let jit = try #require(run.jit)
        let splits = try #require(jit.stat("split_block_count"))
        #expect(splits > 0)
        #expect(jit.stat("compiled_iseq_count") == 2)
        // Pages: the shared code's, the long block's `splits + 1` pages, and no page for `small` alone.
        #expect(jit.stat("live_page_count") == 1 + splits + 1)
        // The page code is written to now is the long block's last (pages are handed out in order), not
        // the first one it left with an instruction's margin.
        #expect(jit.pageBeingWritten != nil)
        #expect(jit.pageBeingWritten == jit.region.pages(in: .live).last?.rawValue)
    }

    @Test func aMethodThatFoundNoRoomRetriesWithoutCompilingAgainWhileNothingWasFreed() throws {
        // Round-robin at 80%: the methods that do not fit retry every `backoff` calls. Each retry only asks
        // for a page (and fails: the region is full of code in use), rather than compiling the method again
        // to measure it and searching every page for room that cannot have appeared.
        let methods = 200, backoff = 5
        var lines = (0..<methods).map { "def m\($0)(x)\n  x + \($0)\nend" }
        lines.append("def round(x)")
        lines += (0..<methods).map { "  x = m\($0)(x) - \($0)" }
        lines.append("  x\nend")
        let stats = ["region_full_count", "placement_retry_count", "compiled_iseq_count", "code_gc_count"]
        for (phase, rounds) in [("warm", 5), ("steady", 60)] {
            lines.append("i = 0\nx = 0\nwhile i < \(rounds)\n  x = round(x)\n  i += 1\nend")
            lines += stats.map { "puts \"\(phase) \($0) \" + JIT.stat(:\($0)).to_s" }
        }
        let source = lines.joined(separator: "\n") + "\n"
        let pages = try Self.unlimitedPages(source) * 8 / 10
        var configuration = Self.configuration(region: pages * Self.pageSize)
        configuration.evictionBackoff = backoff
        let (output, _) = try GuestRun.output(source, jit: configuration)
        func value(_ phase: String, _ name: String) -> Int {
            EvictionHysteresisTests.stat(output, phase, name) ?? -1
        }
        // Methods stayed interpreted and kept retrying: many failed allocations in the steady phase.
        #expect(value("steady", "compiled_iseq_count") < methods + 1, "\(output)")
        let failures = value("steady", "region_full_count") - value("warm", "region_full_count")
        #expect(failures >= (methods + 1 - value("warm", "compiled_iseq_count")) * 5, "\(output)")
        // ...and hardly any of them compiled anything (each would have cost at least one compilation).
        let retries = value("steady", "placement_retry_count") - value("warm", "placement_retry_count")
        #expect(retries * 10 < failures, "\(output)")
    }

    @Test func aBranchWhoseTargetFoundNoRoomDoesNotCompileItAgainAtEveryStubHit() throws {
        // `hot`'s else side is compiled at its first stub hit, after the region filled up (no code GC); it
        // is larger than a page, so it finds no room (no page can be freed). Every later call hits the stub again:
        // each hit only asks for a page, without compiling the block again to measure it.
        let elseSide = (0..<600).map { _ in "    x = x - 1" }.joined(separator: "\n")
        let source = """
        def hot(x)
          if x > 0
            x + 1
          else
        \(elseSide)
            x
          end
        end
        hot(1)
        2000.times do |i|
          eval("def m#{i}(x); a = x + #{i}; b = a * 2; c = b - x; if c > 10 then c + 1 else c - 1 end; end; $r = m#{i}(#{i})", TOPLEVEL_BINDING)
        end
        puts "filled " + JIT.stat(:placement_retry_count).to_s + " " + JIT.stat(:region_full_count).to_s
        sum = 0
        100.times { sum += hot(-1) }
        puts "hit " + JIT.stat(:placement_retry_count).to_s + " " + JIT.stat(:region_full_count).to_s
        p sum
        """
        let (expected, _) = try GuestRun.output(source, jit: nil)
        let (output, _) = try GuestRun.output(
            source, jit: JITConfiguration(callThreshold: 1, regionSize: 1 << 20, codeGC: false))
        #expect(output.split(separator: "\n").last == expected.split(separator: "\n").last)
        func counts(_ label: String) -> [Int] {
            let line = output.split(separator: "\n").first { $0.hasPrefix(label + " ") } ?? ""
            return line.split(separator: " ").dropFirst().compactMap { Int($0) }
        }
        let filled = counts("filled"), hit = counts("hit")
        try #require(filled.count == 2 && hit.count == 2, "\(output)")
        // 100 stub hits, each a failed page request...
        #expect(hit[1] - filled[1] >= 100, "\(output)")
        // ...and one measuring compilation (the first hit's) at most.
        #expect(hit[0] - filled[0] <= 2, "\(output)")
    }

    @Test func aChurnOfTinyDefinitionsCompilesAlmostEveryBlockOnce() throws {
        // Each definition's block goes whole where it fits. Once a page's inline part is short, the window's
        // tail still holds such blocks: they go there at once, not after a compilation that measured them.
        // (Each definition compiled on its own: shared, the 5,000 would be one block.)
        let source = "5000.times { eval(\"def test; 1; end\", TOPLEVEL_BINDING); test() }\nputs \"done\"\n"
        var configuration = GuestRun.tiny
        configuration.sharesCode = false
        let (output, jitOrNil) = try GuestRun.output(source, jit: configuration)
        #expect(output == "done\n")
        let jit = try #require(jitOrNil)
        let blocks = try #require(jit.stat("compiled_block_count"))
        let retries = try #require(jit.stat("placement_retry_count"))
        #expect(blocks >= 5000)
        #expect(retries * 20 < blocks, "\(retries) of \(blocks) blocks compiled again")
    }
}
