import TestSupport
/// Compares what a run produced with what a corpus program expects, and says how they differ.
enum CorpusExpectation {
    /// Human-readable differences; empty when the run matches.
    static func mismatches(
        of outcome: ChildOutcome,
        expectedStdout: String?,
        expectedStderrFragments: [String],
        hasStderrExpectation: Bool,
        expectedStatus: Int32
    ) -> [String] {
        var problems: [String] = []
        if outcome.timedOut {
            problems.append("killed after \(formatted(outcome.seconds)) s: the program did not finish in time")
        } else if outcome.signaled {
            problems.append("crashed with signal \(outcome.status) (expected exit status \(expectedStatus))")
        } else if outcome.status != expectedStatus {
            problems.append("exit status \(outcome.status), expected \(expectedStatus)")
        }

        if let expectedStdout {
            if let difference = firstDifference(expected: expectedStdout, actual: outcome.stdout) {
                problems.append("stdout differs: " + difference)
            }
        } else {
            problems.append("no .out file: generate it with scripts/corpus-expected")
        }

        for fragment in expectedStderrFragments where !outcome.stderr.contains(fragment) {
            problems.append("stderr lacks \(quoted(fragment))")
        }
        if !hasStderrExpectation && expectedStatus == 0 && !outcome.stderr.isEmpty {
            problems.append("unexpected stderr")
        }
        if !problems.isEmpty && !outcome.stderr.isEmpty {
            problems.append("stderr was: " + quoted(String(outcome.stderr.prefix(2_000))))
        }
        return problems
    }

    /// Names the first line where `actual` departs from `expected`, or nil when they are equal.
    static func firstDifference(expected: String, actual: String) -> String? {
        if expected == actual { return nil }
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(expectedLines.count, actualLines.count) {
            let want = index < expectedLines.count ? quoted(String(expectedLines[index])) : "<end of output>"
            let got = index < actualLines.count ? quoted(String(actualLines[index])) : "<end of output>"
            if want != got {
                return "line \(index + 1): expected \(want), got \(got)"
            }
        }
        return "outputs differ (line endings?)"
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t") + "\""
    }

    private static func formatted(_ seconds: Double) -> String {
        String(Double(Int(seconds * 10)) / 10)
    }
}
