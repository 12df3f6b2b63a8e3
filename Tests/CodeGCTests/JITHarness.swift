import CShims
import CTestFixtures
import CodeMemory
import Testing
import X86Assembler
@testable import CodeGC

/// `F(callback, context, value)`: a JIT function of the tests' shape.
typealias JITFunction = @convention(c) (jr_gc_fixture_callback?, UnsafeMutableRawPointer?, Int) -> Int

/// What a Swift callback called from C (called from JIT code) does; reached through the context pointer.
final class CallbackAction {
    var body: () -> Int
    init(_ body: @escaping () -> Int) { self.body = body }
    var context: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }
}

/// The C-callable trampoline into a `CallbackAction`.
let runCallbackAction: jr_gc_fixture_callback = { context in
    Unmanaged<CallbackAction>.fromOpaque(context!).takeUnretainedValue().body()
}

/// A compiled JIT caller: `push rbp; mov rbp, rsp; call jr_gc_fixture_call_back; <return point>;
/// add rax, 1000; pop rbp; ret`.
struct CompiledCaller {
    var block: BlockID
    var page: Int
    var code: Range<UInt>
    var returnPoint: ReturnPoint
    var function: JITFunction
}

/// A real region (registered with libunwind) collected by a CodeGC, acting as the client: it compiles
/// callers, generates return-point exits (`mov rax, exitValue; pop rbp; ret`) and supplies saved contexts.
final class JITHarness: InvalidationCodeFactory, CodeGCRoots {
    let region: CodeRegion
    let gc: CodeGC
    /// Page whose outlined half holds exits; held for the harness's lifetime unless released.
    let exitPage: Int
    var exitValue = 4242
    var savedContexts: [(UnsafeMutableRawPointer, Range<UInt>)] = []
    private(set) var removedEntries: [BlockID] = []

    static let fixtureAddress: UInt = {
        let function: @convention(c) (jr_gc_fixture_callback?, UnsafeMutableRawPointer?, Int) -> Int = jr_gc_fixture_call_back
        return UInt(bitPattern: unsafeBitCast(function, to: Int.self))
    }()

    init(stackWalk: StackWalkMode = .precise, pageCount: Int = 64) throws {
        region = try CodeRegion(CodeRegionConfiguration(regionSize: pageCount * (16 << 10), pageSize: 16 << 10))
        gc = CodeGC(space: region, configuration: CodeGCConfiguration(
            policy: CollectionPolicy(occupancyThreshold: nil), stackWalk: stackWalk))
        exitPage = try #require(try gc.allocatePage())
        gc.codeFactory = self
        gc.roots = self
    }

    /// Assembles `build` at the next 8-byte-aligned address of a half and installs it.
    func install(_ half: PageHalf, of page: Int, _ build: (inout Assembler) throws -> Void) throws -> Range<UInt> {
        let start = (region.bumpAddress(half, of: PageIndex(page)) + 7) & ~7
        var assembler = Assembler(baseAddress: start)
        try build(&assembler)
        let code = try assembler.finalize()
        let address = try region.allocate(code.count, alignment: 8, in: half, of: PageIndex(page))
        try #require(address == start)
        try region.write(code, at: address)
        return address..<(address + UInt(code.count))
    }

    /// Installs `push rbp; mov rbp, rsp; jmp <patchable>` in the inline half of `page`: a block whose only
    /// branch is not yet linked (its jump lands on an INT3 until a stub or target is patched in).
    func installFrameWithUnlinkedJump(on page: Int) throws -> (code: Range<UInt>, jumpAddress: UInt) {
        var jump: PatchableJump?
        let code = try install(.inline, of: page) { assembler in
            assembler.push(.rbp)
            assembler.mov(.rbp, .rsp)
            let placeholder = assembler.newLabel()
            jump = assembler.patchableJmp(placeholder)
            assembler.bind(placeholder)
            assembler.int3()
        }
        return (code, try #require(jump).address)
    }

    /// Compiles a caller on a fresh page (the writer hold is dropped: only roots keep it).
    func compileCaller(owner: UInt64) throws -> CompiledCaller {
        let page = try #require(try gc.allocatePage())
        var returnAddress: UInt = 0
        var jump: PatchableJump?
        let code = try install(.inline, of: page) { assembler in
            assembler.push(.rbp)
            assembler.mov(.rbp, .rsp)
            assembler.movabs(.rax, UInt64(Self.fixtureAddress))
            assembler.call(.rax)
            returnAddress = assembler.currentAddress
            let resume = assembler.newLabel()
            jump = assembler.patchableJmp(resume)
            assembler.bind(resume)
            assembler.add(.rax, 1000)
            assembler.pop(.rbp)
            assembler.ret()
        }
        let block = try gc.addBlock(owner: CodeOwnerID(owner), ranges: [code])
        let point = ReturnPoint(returnAddress: returnAddress, jumpAddress: try #require(jump).address)
        try gc.addReturnPoint(block, point)
        try gc.releasePage(page)
        let function = unsafeBitCast(UnsafeRawPointer(bitPattern: code.lowerBound)!, to: JITFunction.self)
        return CompiledCaller(block: block, page: page, code: code, returnPoint: point, function: function)
    }

    /// Whether every byte of `range` is INT3.
    func isPoisoned(_ range: Range<UInt>) throws -> Bool {
        try region.bytes(at: range.lowerBound, count: Int(range.upperBound - range.lowerBound)).allSatisfy { $0 == 0xCC }
    }

    // MARK: InvalidationCodeFactory

    func makeStub(_ stub: StubID, for request: StubRequest) -> Range<UInt>? { nil }

    func makeReturnExit(for block: BlockID, owner: CodeOwnerID, at point: ReturnPoint) -> Range<UInt>? {
        try? install(.outlined, of: exitPage) { assembler in
            assembler.mov(.rax, Int32(exitValue))
            assembler.pop(.rbp)
            assembler.ret()
        }
    }

    // MARK: CodeGCRoots

    func addRoots(to roots: inout CodeGCRootSet) {
        for (context, stack) in savedContexts { roots.addSavedContext(context, stack: stack) }
    }

    func codeGC(_ collector: CodeGC, didRemoveEntry block: BlockID, of owner: CodeOwnerID) {
        removedEntries.append(block)
    }
}
