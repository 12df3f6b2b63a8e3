import Foundation
import TestSupport
import Testing

/// Every saved reproducer in `Tests/FuzzRepros/` prints its `.out` under `--no-jit` and agrees with it
/// under the flags its header names. Those still marked `# fuzz: open` are known bugs of other
/// components: they run as known issues until fixed (then the mark goes and they guard the fix).
@Suite struct ReproTests {
    struct Repro: Sendable, CustomTestStringConvertible {
        let name: String
        let source: String
        let expected: String?
        var testDescription: String { name }
        var isOpen: Bool { source.hasPrefix(ReproStore.openMarker) }
        /// The `# fuzz: flags ...` header, nil for reproducers against ruby.
        var flags: RunFlags? {
            guard let line = source.split(separator: "\n").first(where: { $0.hasPrefix("# fuzz: flags") }) else {
                return RunFlags(flags: [])
            }
            let words = line.dropFirst("# fuzz: flags".count).split(separator: " ").map(String.init)
            return words == ["ruby"] ? nil : RunFlags(flags: words)
        }
    }

    static let repros: [Repro] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: ReproStore.directory.path)) ?? []
        return names.filter { $0.hasSuffix(".rb") }.sorted().compactMap { name in
            let url = ReproStore.directory.appendingPathComponent(name)
            guard let source = try? String(contentsOf: url, encoding: .utf8) else { return nil }
            let expected = try? String(contentsOf: url.deletingPathExtension().appendingPathExtension("out"), encoding: .utf8)
            return Repro(name: name, source: source, expected: expected)
        }
    }()

    @Test(arguments: repros)
    func reproducerAgrees(_ repro: Repro) throws {
        let jitstack = try BuiltProduct.jitstack.located().path
        let check = DifferentialCheck(jitstack: jitstack, configurations: repro.flags.map { [$0] } ?? [])
        let verify = {
            let disagreement = check.check(repro.source)
            #expect(disagreement == nil, Comment(rawValue: disagreement.map { "\($0)" } ?? ""))
            if let expected = repro.expected {
                let output = withProgramFile(repro.source) { check.run($0, .interpreter) }.stdout
                #expect(output == expected, "--no-jit stdout differs from \(repro.name)'s .out")
            }
        }
        if repro.isOpen {
            withKnownIssue("open fuzz finding", isIntermittent: true) { verify() }
        } else {
            verify()
        }
    }
}
