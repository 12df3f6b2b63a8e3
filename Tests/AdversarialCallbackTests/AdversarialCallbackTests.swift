import Testing

/// Issue 7's adversarial C callbacks, run through the guest VM and its JIT in a child process
/// (`adversary-probe`). Every case checks
/// - the program's output (every frame came back to the right code: old code through its patched exit,
///   new code on the next call), and that the child did not die (a return into freed code traps on INT3);
/// - for every collection a C fixture asked for: the return addresses into JIT code the collector found
///   on native stacks are exactly the fixture's ground truth (frame-pointer chains, plus chains recorded
///   before a fiber switch or garbage rbp), page for page, all walked precisely; none of those pages was
///   freed;
/// - that a later collection frees every page kept by stacks alone once its frames are gone.
@Suite("Adversarial C callbacks from JIT code")
struct AdversarialCallbackTests {
    static let defaultOptions = ["--call-threshold", "1", "--region-size", "\(1 << 20)", "--page-size", "\(4 << 10)"]

    @Test("C callbacks that misbehave from inside JIT code never make it return into freed code",
          arguments: AdversarialCase.all)
    func adversarialCase(_ adversary: AdversarialCase) throws {
        try Self.run(adversary, options: Self.defaultOptions, requireCaseShape: true)
    }

    @Test("The same callbacks with a collection before every compilation and at every stub hit",
          arguments: AdversarialCase.all)
    func adversarialCaseUnderStressGC(_ adversary: AdversarialCase) throws {
        try Self.run(adversary, options: Self.defaultOptions + ["--stress-gc"], requireCaseShape: false)
    }

    /// Runs one case in the probe and verifies it.
    static func run(_ adversary: AdversarialCase, options: [String], requireCaseShape: Bool) throws {
        let report = try AdversaryProbe.report(adversary.source, options: options)
        verify(report, adversary, requireCaseShape: requireCaseShape)
    }

    @Test("JIT.in_jit? inside a method that continued in the interpreter after JIT.discard_all, under an outer JIT frame")
    func inJITAfterDiscardAllUnderAnOuterJITFrame() throws {
        let report = try AdversaryProbe.report("""
        def inner; adv_discard_all; JIT.in_jit?; end
        def hop(a, b); inner; end
        def outer; adv_call("hop", nil, nil); end
        p outer
        """, options: Self.defaultOptions)
        // `inner`'s frame returned through its patched exit and runs in the interpreter; `outer`'s JIT frame
        // (in the send helper, under the C callback) must not count.
        #expect(report.output == "false\n")
    }

    /// The checks every case must pass. `requireCaseShape`: also what the case was built to show (pages
    /// kept by stacks alone, depth, recorded chains), which stress collections may change.
    static func verify(_ report: AdversaryProbe.Report, _ adversary: AdversarialCase, requireCaseShape: Bool) {
        #expect(report.output == adversary.expectedOutput)
        let asked = report.collections.filter { $0.truth != nil }
        #expect(asked.count == report.requestedCollections, "every collection a fixture asked for ran once")
        #expect(!asked.isEmpty)
        for collection in report.collections {
            #expect(collection.conservativeStacks == 0, "collection \(collection.index) scanned a stack conservatively")
        }
        for collection in asked {
            let truth = collection.truth!
            #expect(truth.addresses.sorted() == collection.nativeAddresses.sorted(),
                    "collection \(collection.index): fixture saw \(hex(truth.addresses)), collector found \(hex(collection.nativeAddresses))")
            #expect(truth.pages == collection.nativeStackPages, "collection \(collection.index): pages of live JIT frames")
            #expect(Set(truth.pages).isDisjoint(with: collection.freedPages),
                    "collection \(collection.index) freed a page holding a live JIT frame")
            // Pages kept by stacks alone (`pinnedPages`) are the frames' own pages and the exits and
            // successors their code still needs (a patched return point's exit lives on the page that was
            // being written at invalidation), so they are not compared with the truth; each must go later.
            for page in collection.pinnedPages {
                let freedLater = report.collections.contains { $0.index > collection.index && $0.freedPages.contains(page) }
                #expect(freedLater, "page \(page), pinned by collection \(collection.index), was never freed afterwards")
            }
        }
        #expect(report.stats["conservative_stack_count"] == 0)
        #expect(report.collections.contains { $0.final }, "the probe's own collections after the program ran")
        guard requireCaseShape else { return }
        let deepest = asked.map { $0.truth!.addresses.count }.max() ?? 0
        #expect(deepest >= adversary.minimumJITFrames, "deepest fixture collection saw \(deepest) JIT frames")
        if adversary.pinsPages {
            #expect(asked.contains { !$0.pinnedPages.isEmpty }, "no fixture collection kept a page for stacks alone")
        }
        if adversary.usesRecordedChains {
            #expect(asked.contains { $0.truth!.segmentsUsed > 0 }, "the truth needed no recorded chain")
        }
        if adversary.parkedThreads {
            #expect(asked.contains { $0.truth!.parkedThreadAddresses > 0 }, "no other thread was parked in JIT code")
        }
        if adversary.garbageRBP {
            #expect(report.garbageRBPSeen > 0, "guest code never ran with garbage in rbp")
        }
    }
}

private func hex(_ addresses: [UInt]) -> String {
    addresses.count > 8 ? "\(addresses.count) addresses" : addresses.map { "0x" + String($0, radix: 16) }.joined(separator: ",")
}
