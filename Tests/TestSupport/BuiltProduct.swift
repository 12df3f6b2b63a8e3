import Foundation

/// Finds an executable product of this package (`jitstack`, `jitdiag-probe`) for tests that run it.
///
/// Looked for, in order: the override environment variable; next to the running test bundle (SwiftPM
/// builds every product of one build into one folder); `.build/debug/NAME` in the package.
public struct BuiltProduct: Sendable {
    public let name: String
    public let overrideVariable: String

    public static let jitstack = BuiltProduct(name: "jitstack", overrideVariable: "JITSTACK_BINARY")
    public static let jitdiagProbe = BuiltProduct(name: "jitdiag-probe", overrideVariable: "JITDIAG_PROBE_BINARY")

    /// The package root, found from this source file's path (Tests/TestSupport/BuiltProduct.swift).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public init(name: String, overrideVariable: String) {
        self.name = name
        self.overrideVariable = overrideVariable
    }

    public var candidates: [URL] {
        var urls: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment[overrideVariable], !explicit.isEmpty {
            urls.append(URL(fileURLWithPath: explicit))
        }
        if let executable = Bundle.main.executableURL {
            urls.append(executable.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent(name))
        }
        if let argv0 = CommandLine.arguments.first, argv0.contains("/") {
            urls.append(URL(fileURLWithPath: argv0).resolvingSymlinksInPath()
                .deletingLastPathComponent().appendingPathComponent(name))
        }
        urls.append(Self.packageRoot.appendingPathComponent(".build/debug/\(name)"))
        return urls
    }

    /// The first candidate that is an executable file, or nil.
    public func locate() -> URL? {
        candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// The located executable, or an error that says where it looked.
    public func located() throws -> URL {
        guard let url = locate() else { throw NotFound(description: notFoundMessage) }
        return url
    }

    public struct NotFound: Error, CustomStringConvertible {
        public var description: String
    }

    /// Explains where it looked, for the failure message when nothing was found.
    public var notFoundMessage: String {
        "\(name) executable not found (build it with `swift build`, or set \(overrideVariable)); looked at: "
            + candidates.map(\.path).joined(separator: ", ")
    }
}
