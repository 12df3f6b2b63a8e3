import Foundation
import TestSupport
import Testing

/// The library product must stay importable: SwiftPM refuses a versioned dependency on a product whose
/// targets (or the targets they depend on) use unsafe flags, so only the guest and CLI targets may have
/// them (`Package.swift` puts start-up and exclusivity flags there).
@Suite struct LibraryManifestTests {
    @Test func theLibraryProductAndItsTargetsUseNoUnsafeFlags() throws {
        // Its own scratch path: the running `swift test` holds the lock on the package's `.build`.
        let scratch = NSTemporaryDirectory() + "dump-package-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let outcome = try ChildProcess.run("/usr/bin/env", ["swift", "package", "--package-path", BuiltProduct.packageRoot.path,
                                                            "--scratch-path", scratch, "dump-package"], timeout: 120)
        try #require(outcome.status == 0, "swift package dump-package: \(outcome.stderr)")
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let products = try #require(manifest["products"] as? [[String: Any]])
        let library = try #require(products.first { $0["name"] as? String == "JITCodeGC" }, "no JITCodeGC product")
        let targets = try #require(manifest["targets"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: targets.map { ($0["name"] as! String, $0) })

        // The product's targets and every target of this package they depend on.
        var pending = try #require(library["targets"] as? [String])
        var closure: Set<String> = []
        while let name = pending.popLast() {
            guard closure.insert(name).inserted, let target = byName[name] else { continue }
            for dependency in target["dependencies"] as? [[String: Any]] ?? [] {
                if let named = (dependency["byName"] ?? dependency["target"]) as? [Any], let first = named.first as? String {
                    pending.append(first)
                }
            }
        }
        #expect(closure.isSuperset(of: ["CodeMemory", "X86Assembler", "CodeGC", "JITDiagnostics", "CShims"]))
        for name in closure.sorted() {
            let settings = byName[name]?["settings"] as? [[String: Any]] ?? []
            let unsafe = settings.filter { ($0["kind"] as? [String: Any])?["unsafeFlags"] != nil }
            #expect(unsafe.isEmpty, "\(name) has unsafe flags: \(unsafe)")
        }
    }
}
