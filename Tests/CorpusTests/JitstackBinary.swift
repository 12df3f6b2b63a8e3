import Foundation

/// Finds the built `jitstack` executable the corpus runs.
///
/// Looked for, in order: `$JITSTACK_BINARY`; next to the running test bundle (SwiftPM puts every
/// product of a build in one folder); `.build/debug/jitstack` in the package.
enum JitstackBinary {
    static func candidates() -> [URL] {
        var urls: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["JITSTACK_BINARY"], !explicit.isEmpty {
            urls.append(URL(fileURLWithPath: explicit))
        }
        if let executable = Bundle.main.executableURL {
            urls.append(executable.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("jitstack"))
        }
        if let argv0 = CommandLine.arguments.first, argv0.contains("/") {
            urls.append(URL(fileURLWithPath: argv0).resolvingSymlinksInPath()
                .deletingLastPathComponent().appendingPathComponent("jitstack"))
        }
        urls.append(CorpusCatalog.packageRoot.appendingPathComponent(".build/debug/jitstack"))
        return urls
    }

    /// The first candidate that is an executable file, or nil.
    static func locate() -> URL? {
        candidates().first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Explains where it looked, for the failure message when nothing was found.
    static var notFoundMessage: String {
        "jitstack executable not found (build it with `swift build`, or set JITSTACK_BINARY); looked at: "
            + candidates().map(\.path).joined(separator: ", ")
    }
}
