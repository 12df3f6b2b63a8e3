import Foundation
import TestSupport
import GuestSyntax
import Testing

/// `jitstack run FILE` on random bytes and mutated corpus programs always ends by itself with status 0
/// or 1: no signal, no hang. A mutated program that parses may legitimately loop forever (an edit can
/// delete a loop's increment), so a timeout counts only when the parser rejects the text, or when it
/// cannot be parsed in-process at all.
@Suite struct CLIRobustnessTests {
    static func corpusPrograms() -> [String] {
        let corpus = BuiltProduct.packageRoot.appendingPathComponent("Tests/Corpus")
        let files = FileManager.default.enumerator(atPath: corpus.path)?.compactMap { $0 as? String } ?? []
        return files.filter { $0.hasSuffix(".rb") && !$0.hasPrefix("later/") }.sorted()
            .compactMap { try? String(contentsOf: corpus.appendingPathComponent($0), encoding: .utf8) }
    }

    @Test func hostileInputsNeverCrashOrHangTheCLI() throws {
        let jitstack = try BuiltProduct.jitstack.located().path
        let corpus = Self.corpusPrograms()
        try #require(!corpus.isEmpty, "no corpus programs found")
        let count = FuzzBatch.count("JITSTACK_FUZZ_CLI_BATCH", default: 60)
        let failures = parallelMap(Array(0..<count), width: FuzzBatch.width) { index -> String? in
            var mutator = InputMutator(rng: SplitMix64(seed: UInt64(index) &* 7919 &+ 17))
            let input = index % 3 == 0 ? mutator.randomBytes() : mutator.mutate(corpus[index % corpus.count])
            return Self.problem(running: input, jitstack: jitstack).map { "input \(index): \($0)" }
        }
        for failure in failures.compactMap({ $0 }) { Issue.record(Comment(rawValue: failure)) }
    }

    /// What is wrong with how `jitstack run` handled `input`, or nil.
    static func problem(running input: Data, jitstack: String, timeout: Double = 30) -> String? {
        let path = NSTemporaryDirectory() + "fuzz-cli-\(getpid())-\(UUID().uuidString).rb"
        _ = FileManager.default.createFile(atPath: path, contents: input)
        defer { unlink(path) }
        guard let result = try? ChildProcess.run(jitstack, ["run", path], timeout: timeout) else {
            return "could not start jitstack"
        }
        let shown = String(decoding: input.prefix(300), as: UTF8.self).debugDescription
        switch result.ending {
        case .exited(0), .exited(1):
            if case .exited(1) = result.ending, result.stderr.isEmpty {
                return "exit 1 without a message on stderr; input \(shown)"
            }
            return nil
        case .exited(let status):
            return "exit status \(status); stderr: \(result.stderr.prefix(400)); input \(shown)"
        case .signaled(let signal):
            return "killed by signal \(signal); stderr: \(result.stderr.suffix(800)); input \(shown)"
        case .timedOut:
            let text = String(decoding: input, as: UTF8.self)
            if (try? parseProgram(text, fileName: "input.rb")) != nil { return nil }
            return "no answer within \(timeout) s on text the parser rejects; input \(shown)"
        }
    }
}
