// swift-tools-version: 6.0
import PackageDescription

// A second, tiny client of the JITCodeGC library: a JIT for arithmetic expressions whose compiled
// functions are redefined, collected from inside running JIT code, and freed.
let package = Package(
    name: "ExprJIT",
    dependencies: [.package(name: "JITCodeGC", path: "../..")],
    targets: [
        .executableTarget(
            name: "ExprJIT",
            dependencies: [.product(name: "JITCodeGC", package: "JITCodeGC")]
        ),
    ]
)
