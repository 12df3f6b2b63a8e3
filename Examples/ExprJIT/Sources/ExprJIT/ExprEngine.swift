import CodeGC
import CodeMemory
import X86Assembler

/// The signature of a compiled expression function: `f(x)`.
typealias CompiledFunction = @convention(c) (Int) -> Int

/// What compiled code calls for `collect()`: runs a code collection from inside JIT code.
let collectFromJIT: @convention(c) () -> Int = {
    ExprEngine.current?.collectNow() ?? 1
}

/// A client of CodeGC: compiles named expression functions into a small code region, one block per
/// definition (owner = the definition), and lets CodeGC free what redefinitions leave behind.
final class ExprEngine: CodeGCRoots, InvalidationCodeFactory {
    /// The engine `collect()` reaches (compiled code calls a plain C function pointer).
    nonisolated(unsafe) static var current: ExprEngine?

    /// A compiled function returns this when it left invalidated code through a return-point exit: the
    /// engine finishes the call in the interpreter.
    static let deoptimized = Int.min

    struct Function {
        var expression: Expression
        var owner: CodeOwnerID
        var block: BlockID?
        var entry: CompiledFunction?
    }

    let region: CodeRegion
    let gc: CodeGC
    private(set) var functions: [String: Function] = [:]
    private var nextOwner: UInt64 = 1
    /// The page being filled (held while it is the bump target).
    private var currentPage: Int?
    /// A definition to redefine from inside the next `collect()` (the adversary: code invalidating itself).
    var redefineDuringCollect: (name: String, source: String)?
    private(set) var log: [String] = []
    private(set) var compilations = 0
    private(set) var interpretedCalls = 0
    private(set) var deoptimizations = 0

    init(pageSize: Int, pageCount: Int) throws {
        region = try CodeRegion(CodeRegionConfiguration(regionSize: pageSize * pageCount, pageSize: pageSize))
        gc = CodeGC(space: region)
        gc.roots = self
        gc.codeFactory = self
    }

    // MARK: Definitions and calls

    /// Defines (or redefines) `name`; an old compiled version is invalidated and left to the collector.
    func define(_ name: String, _ source: String) throws {
        let expression = try Parser.parse(source)
        if let old = functions[name]?.block, gc.contains(old) { try gc.invalidate(old) }
        functions[name] = Function(expression: expression, owner: CodeOwnerID(nextOwner))
        nextOwner += 1
    }

    /// Calls `name(x)`: compiled on first call; interpreted if the region has no room.
    func call(_ name: String, _ x: Int) throws -> Int {
        guard var function = functions[name] else { throw ParseError(message: "no function \(name)") }
        if function.entry == nil, let compiled = try compile(function) {
            function.block = compiled.block
            function.entry = compiled.entry
            functions[name] = function
        }
        gc.entryCounter(for: function.owner).pointee &+= 1
        guard let entry = function.entry else {
            interpretedCalls += 1
            return function.expression.evaluate(x: x, collected: 1)
        }
        let result = entry(x)
        if result == Self.deoptimized {
            deoptimizations += 1
            return function.expression.evaluate(x: x, collected: 1)
        }
        return result
    }

    /// Runs from compiled code: maybe redefines a function (its frame may be the caller), then collects.
    func collectNow() -> Int {
        if let (name, source) = redefineDuringCollect {
            redefineDuringCollect = nil
            try? define(name, source)
            log.append("redefined \(name) from inside its own compiled code")
        }
        if let report = try? gc.collect() {
            log.append("collect() from JIT code: freed \(report.freedPages) pages, kept \(report.pinnedPages) for the stack")
        }
        return 1
    }

    // MARK: Compilation

    private func compile(_ function: Function) throws -> (block: BlockID, entry: CompiledFunction)? {
        gc.beginCompilation()
        defer { gc.endCompilation() }
        var returnPoints: [ReturnPoint] = []
        guard let code = try place(.inline, { assembler in
            returnPoints = []
            try ExpressionCompiler.compile(function.expression, into: &assembler, returnPoints: &returnPoints)
        }) else { return nil }
        let block = try gc.addBlock(owner: function.owner, ranges: [code])
        for point in returnPoints { try gc.addReturnPoint(block, point) }
        try gc.setEntry(block)
        compilations += 1
        let entry = unsafeBitCast(UnsafeRawPointer(bitPattern: code.lowerBound)!, to: CompiledFunction.self)
        return (block, entry)
    }

    /// Assembles `build` at the bump position of `half` in the current page, moving to a fresh page
    /// (through the collector's allocation policy) when it does not fit. Nil when no page can be had.
    private func place(_ half: PageHalf, _ build: (inout Assembler) throws -> Void) throws -> Range<UInt>? {
        for _ in 0..<2 {
            if currentPage == nil {
                guard let page = try gc.allocatePage() else { return nil }
                currentPage = page
            }
            let page = PageIndex(currentPage!)
            let bump = region.bumpAddress(half, of: page)
            let start = (bump + 7) & ~7
            var assembler = Assembler(baseAddress: start)
            try build(&assembler)
            let bytes = try assembler.finalize()
            if Int(start - bump) + bytes.count <= region.remaining(half, of: page) {
                let address = try region.allocate(bytes.count, alignment: 8, in: half, of: page)
                try region.write(bytes, at: address)
                return address..<(address + UInt(bytes.count))
            }
            try gc.releasePage(currentPage!)
            currentPage = nil
        }
        return nil
    }

    // MARK: CodeGCRoots

    func addRoots(to roots: inout CodeGCRootSet) {
        // Single-threaded, no VM frames: the collecting thread's own stack (walked by CodeGC) is every root.
    }

    func codeGC(_ collector: CodeGC, didRemoveEntry block: BlockID, of owner: CodeOwnerID) {
        for (name, function) in functions where function.block == block {
            functions[name]?.entry = nil
            functions[name]?.block = nil
        }
    }

    func codeGC(_ collector: CodeGC, didFreeAllCodeOf owners: [CodeOwnerID]) {
        log.append("freed all code of \(owners.count) definitions")
    }

    // MARK: InvalidationCodeFactory

    func makeStub(_ stub: StubID, for request: StubRequest) -> Range<UInt>? { nil }  // no branches here

    func makeReturnExit(for block: BlockID, owner: CodeOwnerID, at point: ReturnPoint) -> Range<UInt>? {
        try? place(.outlined) { assembler in
            assembler.movabs(.rax, UInt64(bitPattern: Int64(Self.deoptimized)))
            ExpressionCompiler.epilogue(into: &assembler)
        }
    }
}
