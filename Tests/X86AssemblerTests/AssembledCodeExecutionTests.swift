import CodeMemory
import Glibc
import Synchronization
import Testing
import X86Assembler

/// Code from the assembler, installed in an executable code region, computes what the instructions mean.
@Suite struct AssembledCodeExecutionTests {
    @Test("cqo + idiv give the signed quotient and remainder")
    func signedDivision() throws {
        let region = try smallRegion()
        let page = try region.allocatePage()
        let quotient = binaryFunction(at: try install(in: region, page: page) {
            $0.mov(.rax, .rdi)
            $0.cqo()
            $0.idiv(.rsi)
            $0.ret()
        })
        let remainder = binaryFunction(at: try install(in: region, page: page) {
            $0.mov(.rax, .rdi)
            $0.cqo()
            $0.idiv(.rsi)
            $0.mov(.rax, .rdx)
            $0.ret()
        })
        for (a, b) in [(7, 2), (-7, 2), (7, -2), (-7, -2), (Int.min + 1, 3), (123_456_789_012, 1000)] {
            #expect(quotient(a, b) == a / b)
            #expect(remainder(a, b) == a % b)
        }
    }

    @Test("setcc + movzx and cmov select on a signed comparison")
    func comparisons() throws {
        let region = try smallRegion()
        let page = try region.allocatePage()
        let less = binaryFunction(at: try install(in: region, page: page) {
            $0.cmp(.rdi, .rsi)
            $0.set(.less, .rax)
            $0.movzx(.rax, byte: .rax)
            $0.ret()
        })
        let maximum = binaryFunction(at: try install(in: region, page: page) {
            $0.mov(.rax, .rdi)
            $0.cmp(.rsi, .rdi)
            $0.cmov(.greater, .rax, .rsi)
            $0.ret()
        })
        for (a, b) in [(1, 2), (2, 1), (-5, 3), (3, -5), (4, 4), (Int.min, Int.max)] {
            #expect(less(a, b) == (a < b ? 1 : 0))
            #expect(maximum(a, b) == max(a, b))
        }
    }

    @Test("a backward loop with a short jcc sums 1...n")
    func loop() throws {
        let region = try smallRegion()
        let page = try region.allocatePage()
        let sum = binaryFunction(at: try install(in: region, page: page) {
            let top = $0.newLabel(), done = $0.newLabel()
            $0.xor(.rax, .rax, size: .dword)
            $0.test(.rdi, .rdi)
            $0.jcc(.lessOrEqual, done)
            $0.bind(top)
            $0.add(.rax, .rdi)
            $0.sub(.rdi, 1)
            $0.jcc(.notZero, top)
            $0.bind(done)
            $0.ret()
        })
        #expect(sum(0, 0) == 0)
        #expect(sum(10, 0) == 55)
        #expect(sum(1000, 0) == 500_500)
    }

    @Test("a RIP-relative load reads an inline constant, and shifts by cl use the count register")
    func ripRelativeConstantAndShift() throws {
        let region = try smallRegion()
        let page = try region.allocatePage()
        let shifted = binaryFunction(at: try install(in: region, page: page) {
            let constant = $0.newLabel()
            $0.mov(.rcx, .rsi)
            $0.mov(.rax, .rip(constant))
            $0.imul(.rax, .rdi)
            $0.sar(.rax, .cl)
            $0.ret()
            $0.alignWithNops(to: 8)
            $0.bind(constant)
            $0.emitUInt64(0x1_0000)
        })
        #expect(shifted(3, 4) == (3 * 0x1_0000) >> 4)
        #expect(shifted(-3, 8) == (-3 * 0x1_0000) >> 8)
    }

    @Test("rel32 calls to an absolute address in the region and register calls work, keeping the stack aligned")
    func calls() throws {
        let region = try smallRegion()
        let page = try region.allocatePage()
        let helper = try install(in: region, page: page, half: .outlined) {
            $0.lea(.rax, Memory(base: .rdi, index: .rsi, scale: .x4, displacement: 1))
            $0.ret()
        }
        let caller = binaryFunction(at: try install(in: region, page: page) {
            $0.push(.rbp)
            $0.mov(.rbp, .rsp)
            $0.call(absolute: helper)          // rdi + 4*rsi + 1
            $0.mov(.rdi, .rax)
            $0.movabs(.r11, UInt64(helper))
            $0.call(.r11)                      // (rdi + 4*rsi + 1) + 4*rsi + 1
            $0.pop(.rbp)
            $0.ret()
        })
        #expect(caller(10, 3) == 10 + 12 + 1 + 12 + 1)
    }

    @Test("retargeting a patchable jmp and jcc through the code region changes where running code goes")
    func retargetPatchableJumps() throws {
        let region = try smallRegion()
        let page = try region.allocatePage()
        let one = try install(in: region, page: page, half: .outlined) { $0.mov(.rax, 1); $0.ret() }
        let two = try install(in: region, page: page, half: .outlined) { $0.mov(.rax, 2); $0.ret() }
        var jmp: PatchableJump?
        var jcc: PatchableJump?
        let viaJmp = binaryFunction(at: try install(in: region, page: page) {
            $0.nop(3)  // other code shares the jump's word
            jmp = $0.patchableJmp(absolute: one)
        })
        let viaJcc = binaryFunction(at: try install(in: region, page: page) {
            $0.cmp(.rdi, 0)
            jcc = $0.patchableJcc(.equal, absolute: one)
            $0.mov(.rax, 3)
            $0.ret()
        })
        #expect(viaJmp(0, 0) == 1)
        #expect(viaJcc(0, 0) == 1)
        #expect(viaJcc(5, 0) == 3)
        for jump in [try #require(jmp), try #require(jcc)] {
            let word = try region.loadWord(at: jump.wordAddress)
            try region.patchWord(at: jump.wordAddress, to: jump.retargetedWord(currentWord: word, newTarget: two))
        }
        #expect(viaJmp(0, 0) == 2)
        #expect(viaJcc(0, 0) == 2)
        #expect(viaJcc(5, 0) == 3)
    }

    @Test("a thread running through a patchable jmp only ever lands on the old or the new target while it is retargeted")
    func retargetWhileRunning() throws {
        let region = try smallRegion()
        let page = try region.allocatePage()
        let one = try install(in: region, page: page, half: .outlined) { $0.mov(.rax, 1); $0.ret() }
        let two = try install(in: region, page: page, half: .outlined) { $0.mov(.rax, 2); $0.ret() }
        var patchable: PatchableJump?
        let entry = try install(in: region, page: page) {
            $0.nop(1)
            patchable = $0.patchableJmp(absolute: one)
        }
        let jump = try #require(patchable)
        let words = [one, two].map { target in
            Result { try jump.retargetedWord(currentWord: region.loadWord(at: jump.wordAddress), newTarget: target) }
        }
        let toOne = try words[0].get(), toTwo = try words[1].get()

        let runner = Runner(entry: entry, calls: 2_000_000)
        runner.start()
        var patches = 0
        while !runner.isFinished {
            try region.patchWord(at: jump.wordAddress, to: patches & 1 == 0 ? toTwo : toOne)
            patches += 1
        }
        runner.join()
        #expect(runner.counts[1] + runner.counts[2] == 2_000_000, "results other than 1 or 2: \(runner.counts)")
        #expect(patches > 0)
    }
}

/// Calls a JIT function in a loop on its own thread and counts the results.
private final class Runner: @unchecked Sendable {
    let entry: UInt
    let calls: Int
    /// Results 0...3 by value (index 3 collects anything else); written by the runner thread,
    /// read after `join()`.
    private(set) var counts = [0, 0, 0, 0]
    private var thread = pthread_t()
    private let finished = Atomic<Bool>(false)

    init(entry: UInt, calls: Int) {
        self.entry = entry
        self.calls = calls
    }

    var isFinished: Bool { finished.load(ordering: .acquiring) }

    func start() {
        let unmanaged = Unmanaged.passRetained(self)
        pthread_create(&thread, nil, { context in
            let runner = Unmanaged<Runner>.fromOpaque(context!).takeRetainedValue()
            runner.run()
            return nil
        }, unmanaged.toOpaque())
    }

    func join() {
        pthread_join(thread, nil)
    }

    private func run() {
        let function = binaryFunction(at: entry)
        var local = [0, 0, 0, 0]
        for _ in 0..<calls {
            local[min(max(function(0, 0), 0), 3)] += 1
        }
        counts = local
        finished.store(true, ordering: .releasing)
    }
}
