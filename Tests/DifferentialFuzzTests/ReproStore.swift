import Foundation
import TestSupport

/// Saves minimized reproducers in `Tests/FuzzRepros/`: `<seed>.rb` (a header naming the seed, what
/// went wrong and the command that shows it, then the program) and `<seed>.out` (the interpreter's
/// stdout, the expected output).
enum ReproStore {
    static let directory = BuiltProduct.packageRoot.appendingPathComponent("Tests/FuzzRepros")

    /// Header lines starting with this mark a reproducer whose bug is not fixed yet.
    static let openMarker = "# fuzz: open"
    static let signatureMarker = "# fuzz: signature"

    @discardableResult
    static func save(seed: UInt64, program: String, disagreement: Disagreement, rubyAgrees: Bool?) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("\(seed).rb")
        let flags = disagreement.flags?.flags.joined(separator: " ") ?? ""
        let command = disagreement.against == "ruby"
            ? "diff <(ruby \(RubyLocator.flags.joined(separator: " ")) Tests/FuzzRepros/\(seed).rb) <(.build/debug/jitstack run --no-jit Tests/FuzzRepros/\(seed).rb)"
            : "diff <(.build/debug/jitstack run --no-jit Tests/FuzzRepros/\(seed).rb 2>&1) <(.build/debug/jitstack run \(flags) Tests/FuzzRepros/\(seed).rb 2>&1)"
        var header = [
            "\(openMarker): \(disagreement.kind.rawValue) against \(disagreement.against) (seed \(seed), minimized)",
            "# fuzz: flags \(disagreement.against == "ruby" ? "ruby" : flags)",
            "# reproduce: \(command)",
            "# --no-jit ended \(disagreement.reference.ending); the other run ended \(disagreement.actual.ending)",
        ]
        if let signature = disagreement.signature { header.append("\(signatureMarker) \(signature)") }
        if let rubyAgrees { header.append("# ruby \(rubyAgrees ? "agrees with" : "differs from") --no-jit on this program") }
        try (header.joined(separator: "\n") + "\n" + program).write(to: file, atomically: true, encoding: .utf8)
        // Ruby's output when the interpreter disagreed with ruby, else the interpreter's.
        let expected = disagreement.against == "ruby" ? disagreement.actual.stdout : disagreement.reference.stdout
        try expected.write(to: directory.appendingPathComponent("\(seed).out"),
                                                atomically: true, encoding: .utf8)
        return file
    }

    /// The seeds and crash signatures of reproducers still marked open: known bugs of other components.
    static func openFindings() -> (seeds: Set<UInt64>, signatures: Set<String>) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var seeds = Set<UInt64>(), signatures = Set<String>()
        for name in names where name.hasSuffix(".rb") {
            guard let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8),
                  text.hasPrefix(openMarker)
            else { continue }
            if let range = text.range(of: #"\(seed [0-9]+"#, options: .regularExpression),
               let seed = UInt64(text[range].dropFirst("(seed ".count)) {
                seeds.insert(seed)
            }
            for line in text.split(separator: "\n") where line.hasPrefix(signatureMarker) {
                signatures.insert(line.dropFirst(signatureMarker.count).trimmingCharacters(in: .whitespaces))
            }
        }
        return (seeds, signatures)
    }

    /// True when `disagreement` of `seed` is one of the open findings.
    static func isKnown(seed: UInt64, _ disagreement: Disagreement,
                        in open: (seeds: Set<UInt64>, signatures: Set<String>)) -> Bool {
        open.seeds.contains(seed) || disagreement.signature.map(open.signatures.contains) == true
    }
}
