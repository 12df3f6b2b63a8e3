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

    @Test("byte forms: a tag-bit test, a byte store and a zero-extending byte load")
    func byteOperations() throws {
        let region = try smallRegion()
        let page = try region.allocatePage()
        let isOdd = binaryFunction(at: try install(in: region, page: page) {
            $0.xor(.rax, .rax, size: .dword)
            $0.test(.rdi, byte: 1)
            $0.set(.notZero, .rax)
            $0.ret()
        })
        // Stores the low byte of rsi into a stack slot, compares it with 0x80 and returns the byte
        // reloaded (zero-extended), plus 1000 when it was equal to 0x80.
        let storeAndReload = binaryFunction(at: try install(in: region, page: page) {
            let done = $0.newLabel()
            $0.mov(Memory(base: .rsp, displacement: -8), -1)
            $0.mov(Memory(base: .rsp, displacement: -8), byte: .rsi)
            $0.movzx(.rax, byte: Memory(base: .rsp, displacement: -8))
            $0.cmp(Memory(base: .rsp, displacement: -8), byte: 0x80)
            $0.jcc(.notEqual, done)
            $0.add(.rax, 1000)
            $0.bind(done)
            $0.ret()
        })
        for value in [0, 1, 2, 7, -3, 0x100, 0x101] {
            #expect(isOdd(value, 0) == value & 1)
        }
        #expect(storeAndReload(0, 0x1234) == 0x34)
        #expect(storeAndReload(0, 0x80) == 0x80 + 1000)
        #expect(storeAndReload(0, -1) == 0xFF)
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
        let current = try region.loadWord(at: jump.wordAddress)
        let toOne = try jump.retargetedWord(currentWord: current, newTarget: one)
        let toTwo = try jump.retargetedWord(currentWord: current, newTarget: two)

        let runner = Runner(entry: entry)
        runner.start()
        // Flip the target until the runner has landed on both targets many times (or a generous
        // deadline passes), so the test cannot pass without patches racing the running thread.
        var patches = 0
        let deadline = ContinuousClock.now + .seconds(60)
        while patches < 100 || min(runner.observed(1), runner.observed(2)) < 1000 {
            guard ContinuousClock.now < deadline else { break }
            try region.patchWord(at: jump.wordAddress, to: patches & 1 == 0 ? toTwo : toOne)
            patches += 1
        }
        runner.stop()
        #expect(runner.observed(0) == 0, "calls that returned neither target's value")
        #expect(runner.observed(1) >= 1000)
        #expect(runner.observed(2) >= 1000)
        #expect(patches >= 100)
    }
}

/// Calls a JIT function on its own thread until stopped, counting what it returns.
private final class Runner: @unchecked Sendable {
    let entry: UInt
    private var thread = pthread_t()
    private let stopping = Atomic<Bool>(false)
    /// Results 1 and 2 at indices 1 and 2; anything else at index 0. Published every few thousand calls.
    private let otherCount = Atomic<Int>(0)
    private let oneCount = Atomic<Int>(0)
    private let twoCount = Atomic<Int>(0)

    init(entry: UInt) {
        self.entry = entry
    }

    func observed(_ result: Int) -> Int {
        switch result {
        case 1: oneCount.load(ordering: .relaxed)
        case 2: twoCount.load(ordering: .relaxed)
        default: otherCount.load(ordering: .relaxed)
        }
    }

    func start() {
        let unmanaged = Unmanaged.passRetained(self)
        pthread_create(&thread, nil, { context in
            let runner = Unmanaged<Runner>.fromOpaque(context!).takeRetainedValue()
            runner.run()
            return nil
        }, unmanaged.toOpaque())
    }

    /// Stops the loop and waits for the thread; afterwards the counts are final.
    func stop() {
        stopping.store(true, ordering: .releasing)
        pthread_join(thread, nil)
    }

    private func run() {
        let function = binaryFunction(at: entry)
        var local = (0, 0, 0)
        while !stopping.load(ordering: .acquiring) {
            for _ in 0..<4096 {
                switch function(0, 0) {
                case 1: local.1 += 1
                case 2: local.2 += 1
                default: local.0 += 1
                }
            }
            otherCount.store(local.0, ordering: .relaxed)
            oneCount.store(local.1, ordering: .relaxed)
            twoCount.store(local.2, ordering: .relaxed)
        }
    }
}
