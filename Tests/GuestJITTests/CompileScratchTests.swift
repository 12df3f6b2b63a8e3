import CodeGC
@testable import GuestJIT
import GuestVM
import Testing
import X86Assembler

/// The compilation buffers the JIT reuses: nothing of one compilation reaches the next.
@Suite("Compile scratch reused across compilations")
struct CompileScratchTests {
    @Test func prepareEmptiesEveryListAndResetsEveryStackSlot() {
        var scratch = CompileScratch()
        scratch.prepare(stackSlots: 3)
        scratch.slotSource[1] = 5
        scratch.lazy[2] = .immediate(3)
        scratch.ranges.append(0x1000..<0x1010)
        scratch.outlinedRanges.append(0x1800..<0x1820)
        scratch.heldPages.append(7)
        scratch.chunks.append(scratch.takeChunk(page: 1, inlineAddress: 0x1000, outlinedAddress: 0x1800))
        scratch.prepare(stackSlots: 5)
        #expect(scratch.slotSource == Array(repeating: -1, count: 5))
        #expect(scratch.lazy.count == 5 && scratch.lazy.allSatisfy { $0 == .memory })
        // A smaller block reuses the longer tables: the slots it can use are unset.
        scratch.slotSource[0] = 4
        scratch.lazy[1] = .local(0)
        scratch.prepare(stackSlots: 2)
        #expect(scratch.slotSource.count >= 2 && scratch.slotSource.prefix(2).allSatisfy { $0 == -1 })
        #expect(scratch.lazy.count >= 2 && scratch.lazy.prefix(2).allSatisfy { $0 == .memory })
        #expect(scratch.ranges.isEmpty && scratch.outlinedRanges.isEmpty && scratch.heldPages.isEmpty)
        #expect(scratch.chunks.isEmpty && scratch.branches.isEmpty && scratch.returnPoints.isEmpty)
        #expect(scratch.spareChunks.count == 1)
    }

    @Test func aReusedChunkStartsEmptyAtItsNewAddresses() {
        var scratch = CompileScratch()
        var chunk = scratch.takeChunk(page: 1, inlineAddress: 0x1000, outlinedAddress: 0x1800)
        chunk.inline.movabs(.rax, 1)
        chunk.outlined.movabs(.rcx, 2)
        _ = chunk.inline.newLabel()
        chunk.exits.append((key: 3, address: 0x1800))
        scratch.chunks.append(chunk)
        scratch.recycleChunks()
        let reused = scratch.takeChunk(page: 2, inlineAddress: 0x2000, outlinedAddress: 0x2800)
        #expect(scratch.spareChunks.isEmpty)
        #expect(reused.page == 2)
        #expect(reused.inline.offset == 0 && reused.inline.baseAddress == 0x2000)
        #expect(reused.outlined.offset == 0 && reused.outlined.baseAddress == 0x2800)
        #expect(reused.exits.isEmpty)
    }

    @Test func spareChunksAreCapped() {
        var scratch = CompileScratch()
        for page in 0..<(CompileScratch.spareChunkLimit + 3) {
            scratch.chunks.append(scratch.takeChunk(page: page, inlineAddress: 0x1000, outlinedAddress: 0x1800))
        }
        scratch.recycleChunks()
        #expect(scratch.chunks.isEmpty)
        #expect(scratch.spareChunks.count == CompileScratch.spareChunkLimit)
    }

    /// A method compiled after a larger one (sends with return points, a loop with branches, side exits)
    /// gets the same metadata as when a fresh JIT compiles it first. (Code sizes may differ by a short or
    /// long jump: the distance to the page's outlined window depends on what the page already holds.)
    @Test func aBlockCompiledAfterAnotherCarriesNothingOfIt() throws {
        let small = "def small(a); x = a + 1; x < 3 ? x : 0; end\n"
        let large = """
        def large(n)
          i = 0
          s = 0
          while i < n
            s = s + [i].size + i.to_s.size
            i = i + 1
          end
          s
        end
        large(5)

        """
        let fresh = try GuestRun(jit: GuestRun.eager)
        _ = try fresh.run(small + "small(1)\n")
        let used = try GuestRun(jit: GuestRun.eager)
        _ = try used.run(large + small + "small(1)\n")
        let expected = try #require(entryBlockInfo(of: "small", in: fresh))
        let actual = try #require(entryBlockInfo(of: "small", in: used))
        // The larger method left blocks with branches and return points behind.
        #expect(try #require(used.jit).stat("compiled_block_count")! >= 4)
        #expect(actual.ranges.count == expected.ranges.count)
        #expect(actual.references.map(\.count) == expected.references.map(\.count))
        #expect(actual.returnPoints.count == expected.returnPoints.count)
        #expect(actual.outgoing.count == expected.outgoing.count)
    }

    private func entryBlockInfo(of name: String, in run: GuestRun) -> BlockInfo? {
        guard let jit = run.jit,
              let iseq = run.vm.iseqs.liveISeqs().first(where: { $0.name == name }),
              let entry = iseq.jitEntry,
              let block = jit.gc.block(containing: UInt(bitPattern: entry)) else { return nil }
        return jit.gc.info(block)
    }
}
