// swift-tools-version: 6.1
import PackageDescription

// Micro-benchmarks of the JITCodeGC library (ordo-one/benchmark). Run through `scripts/bench`, or
// `swift package --package-path Benchmarks benchmark` from the repository root.
let package = Package(
    name: "Benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // Named: SwiftPM would otherwise call a path package after its folder ("..").
        .package(name: "JITCodeGC", path: ".."),
    ],
    targets: [
        // getcontext and the frame pointer, which Swift cannot reach; built with frame pointers kept.
        .target(name: "BenchShims", cSettings: [.define("_GNU_SOURCE"), .unsafeFlags(["-fno-omit-frame-pointer"])]),
        .executableTarget(
            name: "CodeGCBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "JITCodeGC", package: "JITCodeGC"),
                "BenchShims",
            ],
            path: "Benchmarks/CodeGCBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v5)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
