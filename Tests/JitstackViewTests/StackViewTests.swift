import Foundation
import Testing

/// `jitstack stack`: dumps at `JIT.dump_stack` and on SIGUSR1, text and JSON, with frame kinds, walks and pins.
@Suite struct StackViewTests {
    /// A method that redefines itself and dumps from inside `eval`, while its own JIT frame is still on the
    /// native stack: that frame must be shown invalidated.
    static let adversary = """
    def adversary(n)
      eval("def adversary(n); 0; end; JIT.dump_stack") if n > 1
      n
    end
    def run_it(n); adversary(n) + 1; end
    run_it(0); run_it(1); puts run_it(2)
    """

    @Test func dumpNamesTheJITFrameOfAnInvalidatedMethodAndItsPage() throws {
        let outcome = try JitstackProcess.run(["stack", "--call-threshold", "1", "-e", Self.adversary])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let text = outcome.stdout
        #expect(text.contains("== stack dump 1 (JIT.dump_stack): 1 execution context"))
        #expect(text.contains("-- context 0: main, running; native walk precise; pins page"))
        #expect(text.contains("v1 eval"))
        #expect(text.contains("method adversary"))
        // The caller's jit_return: method, ISEQ pc range, the pc it resumes at, state and page.
        #expect(text.range(of: #"jit_return 0x[0-9a-f]+ run_it pc 0\.\.\.\d+ \(resumes at pc \d+\) live, page \d+"#,
                           options: .regularExpression) != nil)
        // Called through the shared send code, the frame's return address is a resume point of the block.
        #expect(text.range(of: #"0x[0-9a-f]+ JIT +adversary pc \d+\.\.\.\d+ (\(resumes at pc \d+\) )?invalidated, page \d+"#,
                           options: .regularExpression) != nil)
        #expect(text.range(of: #" C +main\+0x"#, options: .regularExpression) != nil)
        #expect(text.hasSuffix("3\n"), "the program's own output follows the dump")
    }

    @Test func jsonListsEveryContextWithFramesWalkAndPinnedPages() throws {
        let program = """
        def inner; Fiber.yield 1; 2; end
        def outer; inner + 1; end
        f = Fiber.new { outer }
        f.resume
        JIT.dump_stack
        puts f.resume
        """
        let outcome = try JitstackProcess.run(["stack", "--json", "--call-threshold", "1", "-e", program])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let document = try JitstackProcess.json(outcome.stdout)
        #expect(document["view"] as? String == "stack")
        #expect(document["output"] as? String == "3\n")
        let dumps = try #require(document["dumps"] as? [[String: Any]])
        #expect(dumps.count == 1)
        let contexts = try #require(dumps[0]["contexts"] as? [[String: Any]])
        #expect(contexts.count == 2)
        #expect(contexts[0]["label"] as? String == "main")
        #expect(contexts[0]["state"] as? String == "running")
        let fiber = contexts[1]
        #expect(fiber["label"] as? String == "fiber")
        #expect(fiber["state"] as? String == "suspended")
        #expect(fiber["walk"] as? String == "precise")
        let vmFrames = try #require(fiber["vm_frames"] as? [[String: Any]])
        #expect(vmFrames.map { $0["name"] as? String } .prefix(3) == ["yield", "inner", "outer"])
        let native = try #require(fiber["native_frames"] as? [[String: Any]])
        let kinds = Set(native.compactMap { $0["kind"] as? String })
        #expect(kinds.isSuperset(of: ["C", "Swift"]))
        // The fiber's entry is a static C function: named through .symtab.
        #expect(native.contains { $0["symbol"] as? String == "fiber_start" })
        // outer's frame returns into inner's caller code: every JIT location has a page, and the pinned list
        // is exactly the pages of the JIT locations in this context.
        var pages = Set<Int>()
        for frame in native { if let jit = frame["jit"] as? [String: Any], let page = jit["page"] as? Int { pages.insert(page) } }
        for frame in vmFrames { if let jit = frame["jit_return"] as? [String: Any], let page = jit["page"] as? Int { pages.insert(page) } }
        #expect(!pages.isEmpty)
        #expect(Set(fiber["pinned_pages"] as? [Int] ?? []) == pages)
    }

    @Test func dumpFromAThreadListsTheMainThreadParkedWithItsFrames() throws {
        // The thread dumps only after main set $ready and the thread has yielded 500 times, so main is
        // parked inside `value` (without the wait a loaded machine let the dump find main parked earlier,
        // at a safepoint before the call).
        let program = """
        def inner; JIT.dump_stack; 5; end
        def outer; inner + 1; end
        $ready = false
        t = Thread.new { Thread.pass until $ready; 500.times { Thread.pass }; outer }
        $ready = true
        p t.value
        """
        let outcome = try JitstackProcess.run(["stack", "--json", "--call-threshold", "1", "-e", program])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let document = try JitstackProcess.json(outcome.stdout)
        #expect(document["output"] as? String == "6\n")
        let dumps = try #require(document["dumps"] as? [[String: Any]])
        let contexts = try #require(dumps.first?["contexts"] as? [[String: Any]])
        #expect(contexts.map { "\($0["label"] ?? "") \($0["state"] ?? "")" } == ["thread running", "main parked"])
        let running = try #require(contexts[0]["vm_frames"] as? [[String: Any]])
        #expect(running.map { $0["name"] as? String }.prefix(3) == ["dump_stack", "inner", "outer"])
        #expect(!(contexts[0]["pinned_pages"] as? [Int] ?? []).isEmpty, "inner's JIT frame pins its page")
        #expect(contexts[1]["walk"] as? String == "precise", "the parked thread is walked from its saved context")
        let main = try #require(contexts[1]["vm_frames"] as? [[String: Any]])
        #expect(main.map { $0["name"] as? String } == ["value", "<main>"])
        let parkedNative = try #require(contexts[1]["native_frames"] as? [[String: Any]])
        #expect(parkedNative.contains { $0["symbol"] as? String == "main" })
    }

    @Test func sigusr1DumpsAtTheNextSafepointOfACompiledLoop() throws {
        let program = "def spin; i = 0; while true; i += 1; end; end; spin"
        var polls = 0
        let outcome = try JitstackProcess.run(["stack", "--call-threshold", "1", "-e", program], timeout: 60) { pid, soFar in
            if soFar.contains("(SIGUSR1)") && soFar.contains("native frames") { return true }
            polls += 1
            // Signal only once the handler is installed (SigCgt lists SIGUSR1): before, SIGUSR1 would kill it.
            if polls % 4 == 0 && Self.catchesSIGUSR1(pid) { kill(pid, SIGUSR1) }
            return false
        }
        #expect(outcome.signaled, "stopped by the test once the dump was seen")
        #expect(outcome.stdout.contains("== stack dump 1 (SIGUSR1): 1 execution context"))
        #expect(outcome.stdout.range(of: #"v0 method spin +-e:1 pc \d+"#, options: .regularExpression) != nil)
    }

    /// Whether process `pid` has a handler for SIGUSR1 (bit 10 of SigCgt in /proc/PID/status).
    static func catchesSIGUSR1(_ pid: Int32) -> Bool {
        // procfs files report size 0: read to the end rather than by size.
        guard let data = FileHandle(forReadingAtPath: "/proc/\(pid)/status")?.readDataToEndOfFile(),
              let status = String(data: data, encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
              let mask = UInt64(line.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces), radix: 16) else { return false }
        return mask & (1 << (UInt64(SIGUSR1) - 1)) != 0
    }

    @Test func dumpStackWithoutTheJITShowsInterpreterFrames() throws {
        let outcome = try JitstackProcess.run(["stack", "--no-jit", "-e", "def f; JIT.dump_stack; end; f"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("v1 method f"))
        #expect(outcome.stdout.contains("pins no code page"))
        #expect(!outcome.stdout.contains(" JIT "))
    }
}
