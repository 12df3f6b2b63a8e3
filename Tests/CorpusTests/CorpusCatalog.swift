import Foundation

/// Where the corpus lives and which of its programs and configurations the tests run.
enum CorpusCatalog {
    /// `Tests/Corpus`, found from this source file so it works from any working directory.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // CorpusTests
        .deletingLastPathComponent()   // Tests
        .appendingPathComponent("Corpus")

    /// The package root (for the `.build/debug/jitstack` fallback).
    static let packageRoot: URL = root.deletingLastPathComponent().deletingLastPathComponent()

    /// Folders of programs for features not built yet (fibers, threads): not run.
    static let deferredFolders: Set<String> = ["later"]

    static let all: [CorpusProgram] = CorpusProgram.discover(in: root, excludedFolders: deferredFolders)

    /// Programs of the default run.
    static let programs: [CorpusProgram] = all.filter { !$0.isSlow }

    /// Programs marked `# corpus: slow`, run only when `JITSTACK_CORPUS_SLOW=1`.
    static let slowPrograms: [CorpusProgram] = all.filter(\.isSlow)

    static var runSlowPrograms: Bool { ProcessInfo.processInfo.environment["JITSTACK_CORPUS_SLOW"] == "1" }

    /// Seconds a program may run before it is killed (`JITSTACK_CORPUS_TIMEOUT` overrides).
    static var defaultTimeout: Double {
        ProcessInfo.processInfo.environment["JITSTACK_CORPUS_TIMEOUT"].flatMap(Double.init) ?? 60
    }
}
