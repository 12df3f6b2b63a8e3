import Foundation

/// Saves minimized reproducers in `Tests/FuzzRepros/`: `<seed>.rb` (a header naming the seed, what
/// went wrong and the command that shows it, then the program) and `<seed>.out` (the interpreter's
/// stdout, the expected output).
enum ReproStore {
    static let directory = JitstackLocator.packageRoot.appendingPathComponent("Tests/FuzzRepros")

    /// Header lines starting with this mark a reproducer whose bug is not fixed yet.
    static let openMarker = "# fuzz: open"

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
        if let rubyAgrees { header.append("# ruby \(rubyAgrees ? "agrees with" : "differs from") --no-jit on this program") }
        try (header.joined(separator: "\n") + "\n" + program).write(to: file, atomically: true, encoding: .utf8)
        // Ruby's output when the interpreter disagreed with ruby, else the interpreter's.
        let expected = disagreement.against == "ruby" ? disagreement.actual.stdout : disagreement.reference.stdout
        try expected.write(to: directory.appendingPathComponent("\(seed).out"),
                                                atomically: true, encoding: .utf8)
        return file
    }
}
