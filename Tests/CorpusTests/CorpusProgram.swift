import Foundation
import Testing

/// One guest program of `Tests/Corpus` together with what running it must produce.
///
/// Next to `name.rb` live `name.out` (exact stdout), optionally `name.err` (each non-empty line must
/// appear in stderr) and `name.status` (the exit code; 0 when absent). Header comments tune the run:
/// `# corpus: slow` keeps the program out of the default run, `# corpus: timeout SECONDS` overrides
/// the timeout.
struct CorpusProgram: Sendable, CustomTestStringConvertible {
    /// Absolute path of the `.rb` file.
    let file: URL
    /// Path relative to `Tests/Corpus`, which names the test case.
    let relativePath: String
    /// Exact stdout, or nil when the `.out` file is missing (a corpus bug the test reports).
    let expectedStdout: String?
    /// Substrings stderr must contain, one per non-empty line of `.err`.
    let expectedStderrFragments: [String]
    /// Whether a `.err` file exists: without one a successful run must leave stderr empty.
    let hasStderrExpectation: Bool
    let expectedStatus: Int32
    /// First line is `# subset: differs from Ruby...`: the expectation is the subset's rule, not Ruby's.
    let differsFromRuby: Bool
    let isSlow: Bool
    /// Seconds after which the run is killed and the test fails; nil means the harness default.
    let timeoutOverride: Double?

    var testDescription: String { relativePath }

    init(file: URL, relativePath: String) {
        self.file = file
        self.relativePath = relativePath
        let base = file.deletingPathExtension()
        let fileManager = FileManager.default
        expectedStdout = try? String(contentsOf: base.appendingPathExtension("out"), encoding: .utf8)
        let errURL = base.appendingPathExtension("err")
        hasStderrExpectation = fileManager.fileExists(atPath: errURL.path)
        expectedStderrFragments = ((try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
            .split(separator: "\n", omittingEmptySubsequences: true)
            .map(String.init)
        let statusText = (try? String(contentsOf: base.appendingPathExtension("status"), encoding: .utf8)) ?? "0"
        expectedStatus = Int32(statusText.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1

        let source = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        let header = source.split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { $0.hasPrefix("#") }
        differsFromRuby = header.first?.hasPrefix("# subset: differs from Ruby") ?? false
        isSlow = header.contains { $0.trimmingCharacters(in: .whitespaces) == "# corpus: slow" }
        timeoutOverride = header.lazy
            .compactMap { line -> Double? in
                guard line.hasPrefix("# corpus: timeout ") else { return nil }
                return Double(line.dropFirst("# corpus: timeout ".count).trimmingCharacters(in: .whitespaces))
            }
            .first
    }

    /// Every `.rb` under `root`, sorted, skipping the folders named in `excludedFolders`
    /// (top-level folders of the corpus such as `later`).
    static func discover(in root: URL, excludedFolders: Set<String>) -> [CorpusProgram] {
        let rootPath = root.standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(atPath: rootPath) else { return [] }
        var programs: [CorpusProgram] = []
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix(".rb") else { continue }
            let topFolder = relative.split(separator: "/").first.map(String.init) ?? ""
            if excludedFolders.contains(topFolder) { continue }
            programs.append(CorpusProgram(file: URL(fileURLWithPath: rootPath).appendingPathComponent(relative),
                                          relativePath: relative))
        }
        return programs.sorted { $0.relativePath < $1.relativePath }
    }
}
