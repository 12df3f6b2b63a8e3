import Foundation

/// Finds the `jitstack` executable: `$JITSTACK_BINARY`, then next to this test executable (SwiftPM
/// builds every product into one folder), then `.build/debug/jitstack` under the package root.
enum JitstackLocator {
    /// The package root, found from this source file's path.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var searched: [String] {
        var paths: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["JITSTACK_BINARY"], !explicit.isEmpty {
            paths.append(explicit)
        }
        if let me = Bundle.main.executablePath {
            paths.append(URL(fileURLWithPath: me).resolvingSymlinksInPath().deletingLastPathComponent()
                .appendingPathComponent("jitstack").path)
        }
        paths.append(packageRoot.appendingPathComponent(".build/debug/jitstack").path)
        return paths
    }

    static let path: String? = searched.first { FileManager.default.isExecutableFile(atPath: $0) }

    static var missingMessage: String {
        "jitstack not found (swift build, or set JITSTACK_BINARY); looked at " + searched.joined(separator: ", ")
    }
}

/// Debian's ruby, when installed.
enum RubyLocator {
    static let path: String? = ["/usr/bin/ruby", "/usr/local/bin/ruby"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Flags that keep Ruby's messages free of hints the subset does not print.
    static let flags = ["--disable=did_you_mean,error_highlight", "-W0"]
    /// Ruby's 1 MiB default VM stack stops short of the generator's deepest recursion.
    static let environment = ["RUBY_THREAD_VM_STACK_SIZE": "16777216"]
}
