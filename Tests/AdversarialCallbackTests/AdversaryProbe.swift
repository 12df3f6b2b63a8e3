import Foundation
import TestSupport
import Testing

/// Runs `adversary-probe` (Tests/AdversaryProbe, built next to the test bundle) on one guest program in a
/// child process, so that a return into freed code (INT3) kills the child, not the test runner.
enum AdversaryProbe {
    /// One collection, as the probe reports it (see Tests/AdversaryProbe/main.swift).
    struct Collection: Decodable {
        var index: Int
        var final: Bool
        var freedPages: [Int]
        var nativeAddresses: [UInt]
        var nativeStackPages: [Int]
        var pinnedPages: [Int]
        var jitReturns: [UInt]
        var conservativeStacks: Int
        var truth: Truth?
    }

    /// A fixture's ground truth for the collection it asked for.
    struct Truth: Decodable {
        var addresses: [UInt]
        var parkedThreadAddresses: Int
        var pages: [Int]
        var chainFrames: Int
        var segmentsUsed: Int
    }

    struct Report: Decodable {
        var output: String
        var collections: [Collection]
        var requestedCollections: Int
        var garbageRBPSeen: Int
        var regionBase: UInt
        var pageSize: Int
        var stats: [String: Int]
    }

    static let product = BuiltProduct(name: "adversary-probe", overrideVariable: "ADVERSARY_PROBE_BINARY")

    /// The built probe.
    static func locate() throws -> URL { try product.located() }

    /// Runs the probe and decodes its report; a child that died (a trap on freed code) fails the test.
    static func report(_ source: String, options: [String]) throws -> Report {
        let probe = try locate()
        // The 1,000-level case takes a few seconds in a debug build on a loaded machine.
        let outcome = try ChildProcess.run(probe.path, options + [source], timeout: 300)
        try #require(!outcome.timedOut, "adversary-probe timed out")
        try #require(!outcome.signaled,
                     "the program died of signal \(outcome.status)\(outcome.status == SIGTRAP ? " (SIGTRAP: returned into freed code)" : ""):\n\(outcome.stderr.suffix(3000))")
        try #require(outcome.status == 0, "adversary-probe exited \(outcome.status):\n\(outcome.stderr.suffix(3000))")
        return try JSONDecoder().decode(Report.self, from: Data(outcome.stdout.utf8))
    }
}
