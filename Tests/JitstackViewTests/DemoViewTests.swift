import Foundation
import Testing

/// `jitstack demo`: every scenario runs to its expected output and shows what it is about.
@Suite struct DemoViewTests {
    @Test func scenariosShowTheirStacksPagesAndStatsInJSON() throws {
        let outcome = try JitstackProcess.run(["demo", "--json", "--churn-evals", "9000",
                                               "--scenario", "churn", "--scenario", "adversary",
                                               "--scenario", "fiber", "--scenario", "callback"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let document = try JitstackProcess.json(outcome.stdout)
        let scenarios = try #require(document["scenarios"] as? [[String: Any]])
        #expect(scenarios.map { $0["name"] as? String } == ["churn", "adversary", "fiber", "callback"])
        let byName = Dictionary(uniqueKeysWithValues: scenarios.map { ($0["name"] as! String, $0) })
        #expect(byName["churn"]?["output"] as? String == "done\n")
        #expect(byName["adversary"]?["output"] as? String == "10\n")
        #expect(byName["fiber"]?["output"] as? String == "42\n")
        #expect(byName["callback"]?["output"] as? String == "33\n")

        // Churn in 1 MiB: the region filled, collections freed pages, compiling never stopped.
        let churnStats = try #require(byName["churn"]?["stats"] as? [String: Int])
        #expect(churnStats["code_gc_count", default: 0] >= 1)
        #expect(churnStats["freed_page_count", default: 0] > 0)
        #expect(churnStats["region_full_count"] == 0)

        // The adversary's and the callback's caller's JIT frames are shown invalidated while they run.
        for name in ["adversary", "callback"] {
            let native = try Self.nativeFrames(byName[name], context: 0)
            let jit = native.compactMap { $0["jit"] as? [String: Any] }
            #expect(jit.contains { $0["state"] as? String == "invalidated" }, "\(name)")
        }
        // The callback's C frame is a static function, named through .symtab.
        let callbackFrames = try Self.nativeFrames(byName["callback"], context: 0)
        #expect(callbackFrames.contains { $0["kind"] as? String == "C" && $0["symbol"] as? String == "call_back_into_guest" })

        // The suspended fiber pins worker's page: `P` in the snapshots while it sleeps, freed after it ends.
        let fiber = try #require(byName["fiber"])
        let fiberContexts = try #require(((fiber["dumps"] as? [[String: Any]])?.first?["contexts"]) as? [[String: Any]])
        let suspended = try #require(fiberContexts.first { $0["state"] as? String == "suspended" })
        let region = try #require(fiber["region"] as? [String: Any])
        let snapshots = try #require(region["snapshots"] as? [[String: Any]])
        let columns = snapshots.map { Array($0["pages"] as? String ?? "") }
        // The shared page (`S`: entry trampoline, exits, send code the fiber returns through) is held anyway.
        let pinned = try #require(suspended["pinned_pages"] as? [Int]).filter { columns.first?[$0] != "S" }
        #expect(pinned.count == 1)
        #expect(columns.contains { $0.count > pinned[0] && $0[pinned[0]] == "P" })
        #expect(columns.last.map { $0[pinned[0]] } == "f")
    }

    @Test func textDemoWritesOneSVGPerScenario() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = try JitstackProcess.run(["demo", "--scenario", "fiber", "--scenario", "callback",
                                               "--svg-dir", directory.path])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("==== 3. A fiber suspended inside compiled code across code GCs"))
        #expect(outcome.stdout.contains("-- stacks at JIT.dump_stack"))
        #expect(outcome.stdout.contains("-- code pages"))
        #expect(outcome.stdout.contains("-- stats: code_gc_count "))
        for name in ["fiber", "callback"] {
            let svg = try String(contentsOf: directory.appendingPathComponent("\(name).svg"), encoding: .utf8)
            #expect(svg.hasPrefix("<svg "))
        }
    }

    @Test func unknownScenarioExitsOne() throws {
        let outcome = try JitstackProcess.run(["demo", "--scenario", "nope"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("unknown scenario 'nope'"))
    }

    static func nativeFrames(_ scenario: [String: Any]?, context: Int) throws -> [[String: Any]] {
        let dumps = try #require(scenario?["dumps"] as? [[String: Any]])
        let contexts = try #require(dumps.first?["contexts"] as? [[String: Any]])
        return try #require(contexts[context]["native_frames"] as? [[String: Any]])
    }
}
