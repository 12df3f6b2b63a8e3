import CShims
import CodeMemory
import Testing
import X86Assembler
@testable import CodeGC

/// The lazy-linking cycle on real code: a block jumps to a stub, the stub calls a handler that compiles
/// the target and links the branch (retargeting the live jump), invalidation sends the branch to a fresh
/// stub, and collections free the old target, including collections run inside the stub handler.
@Suite("Stub hits in running machine code", .serialized)
final class StubHitMachineCodeTests: InvalidationCodeFactory {
    nonisolated(unsafe) static weak var current: StubHitMachineCodeTests?

    let harness: JITHarness
    let stubPage: Int
    var entry: BlockID!
    var function: (@convention(c) () -> Int)!
    var version = 0
    var hits: [StubHit] = []
    var collectInHandler = false
    var reportsInHandler: [CollectionReport] = []
    var targets: [(block: BlockID, code: Range<UInt>)] = []

    static let handler: @convention(c) (UInt64) -> UInt = { raw in
        StubHitMachineCodeTests.current!.stubHit(StubID(rawValue: raw))
    }

    init() throws {
        harness = try JITHarness()
        stubPage = try #require(try harness.gc.allocatePage())
        harness.gc.codeFactory = self
        Self.current = self
        // F: push rbp; mov rbp, rsp; jmp <target 0>: the branch starts at a stub.
        let page = try #require(try harness.gc.allocatePage())
        let (code, jumpAddress) = try harness.installFrameWithUnlinkedJump(on: page)
        try harness.gc.releasePage(page)
        entry = try harness.gc.addBlock(owner: CodeOwnerID(1), ranges: [code])
        let branch = try harness.gc.addBranch(
            from: entry, targets: [BranchTargetSpec(jumpAddress: jumpAddress, key: 5)])
        try harness.gc.addStub(for: branch, target: 0) { id in try self.emitStub(id) }
        try harness.gc.setEntry(entry)
        function = unsafeBitCast(UnsafeRawPointer(bitPattern: code.lowerBound)!, to: (@convention(c) () -> Int).self)
    }

    /// `movabs rdi, id; movabs rax, handler; call rax; jmp rax` in the stub page's outlined half.
    func emitStub(_ id: StubID) throws -> Range<UInt> {
        try harness.install(.outlined, of: stubPage) { assembler in
            assembler.movabs(.rdi, id.rawValue)
            assembler.movabs(.rax, UInt64(UInt(bitPattern: unsafeBitCast(Self.handler, to: Int.self))))
            assembler.call(.rax)
            assembler.jmp(.rax)
        }
    }

    /// The handler: decides under "the lock" (this test is single-threaded) and returns where to continue.
    func stubHit(_ stub: StubID) -> UInt {
        if collectInHandler, let report = try? harness.gc.collect() { reportsInHandler.append(report) }
        let hit = harness.gc.stubHit(stub)
        hits.append(hit)
        switch hit {
        case .compile(let request):
            version += 1
            // The target on a fresh page: `mov rax, key * 100 + version; pop rbp; ret`.
            guard let page = try? harness.gc.allocatePage(),
                  let code = try? harness.install(.inline, of: page, { assembler in
                      assembler.mov(.rax, Int32(Int(request.key) * 100 + version))
                      assembler.pop(.rbp)
                      assembler.ret()
                  }),
                  let block = try? harness.gc.addBlock(owner: request.owner, key: request.key, ranges: [code]),
                  (try? harness.gc.linkBranch(request.branch, target: request.targetIndex, to: block)) != nil
            else { return 0 }
            try? harness.gc.releasePage(page)
            targets.append((block, code))
            return code.lowerBound
        case .resolved(let block):
            return harness.gc.entryAddress(of: block) ?? 0
        case .branchInvalidated, .stale:
            return 0
        }
    }

    func makeStub(_ stub: StubID, for request: StubRequest) -> Range<UInt>? { try? emitStub(stub) }

    func makeReturnExit(for block: BlockID, owner: CodeOwnerID, at point: ReturnPoint) -> Range<UInt>? { nil }

    @Test func firstCallCompilesThroughTheStubAndLaterCallsJumpStraightThere() throws {
        #expect(function() == 501)
        #expect(hits.count == 1)
        #expect(function() == 501)
        #expect(hits.count == 1)  // the live jump now goes to the compiled target
    }

    @Test func invalidatedTargetIsRecompiledThroughAFreshStubAndTheOldOneFreed() throws {
        #expect(function() == 501)
        let old = try #require(targets.first)
        try harness.gc.invalidate(old.block)
        #expect(function() == 502)
        #expect(hits.count == 2)
        let report = try harness.gc.collect()
        #expect(report.freedPages == 1)
        #expect(!harness.gc.contains(old.block))
        #expect(try harness.isPoisoned(old.code))
        #expect(function() == 502)
    }

    @Test func collectionInsideTheStubHandlerKeepsTheStubAndItsBranch() throws {
        collectInHandler = true
        #expect(function() == 501)
        let report = try #require(reportsInHandler.first)
        #expect(report.preciseStacks == 1 && report.conservativeStacks == 0)
        if case .compile = try #require(hits.first) {} else { Issue.record("the stub's metadata did not survive") }
        // Again after invalidation: the handler's collection runs while this thread sits in the new stub.
        try harness.gc.invalidate(try #require(targets.first).block)
        #expect(function() == 502)
        #expect(reportsInHandler.count == 2)
        #expect(reportsInHandler[1].freedPages == 1)  // the invalidated target, nobody on it
    }
}
