// swift-tools-version: 6.0
import PackageDescription

// Layers, bottom to top (no module reaches around a lower one):
//   CShims        C: mmap/mprotect/madvise/memfd, libunwind walks + region registration,
//                 fiber context switch, thread stack bounds, libelf
//   CodeMemory    executable region of code pages (inline/outlined halves), W^X, INT3 poison
//   X86Assembler  x86-64 encoder with labels and patchable jumps
//   CodeGC        block/branch/stub graph, invalidation, collector, stack walker (guest-agnostic)
//   GuestSyntax   Ruby-subset lexer, parser, AST
//   GuestVM       bytecode compiler, ISEQs, interpreter, runtime objects, builtins (cfuncs)
//   GuestJIT      baseline JIT for GuestVM on top of CodeGC
//   JitstackCLI   the `jitstack` commands (library so tests can drive them)
// Generic types the start-up path uses (`[String: Int]`, `[Int: Value]`, arrays of protocol types, ...) get
// their metadata through the compiler's metadata accessors instead of by mangled name: the mangled-name path
// demangles at run time and proves each `Hashable` requirement by scanning every protocol conformance of the
// static executable (~0.1 ms per key type), which was ~11% of `run -e 'puts 1'`'s instructions. On the
// guest and CLI targets only, not on the library product's (CodeMemory, X86Assembler, CodeGC,
// JITDiagnostics): SwiftPM refuses a versioned dependency on a product whose targets have unsafe flags, and
// clients must be able to depend on the library. Identical specializations from different modules are
// merged at link time, so the library's keep some mangled-name lookups: 4.48M -> 4.74M instructions for
// `puts 1` (callgrind), the price of an importable library.
let metadataAccessors: [SwiftSetting] = [.unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"])]

let package = Package(
    name: "JITCodeGC",
    products: [
        .library(name: "JITCodeGC", targets: ["CodeMemory", "X86Assembler", "CodeGC", "JITDiagnostics"]),
        .executable(name: "jitstack", targets: ["jitstack"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
    ],
    targets: [
        .target(
            name: "CShims",
            path: "CShims",
            cSettings: [.define("_GNU_SOURCE")],
            // libgcc_s ahead of libunwind keeps `_Unwind_*` (C++/Swift unwinding) on libgcc_s.
            linkerSettings: [.linkedLibrary("gcc_s"), .linkedLibrary("unwind"), .linkedLibrary("elf")]
        ),
        .target(name: "CodeMemory", dependencies: ["CShims"]),
        .target(name: "X86Assembler"),
        .target(
            name: "CodeGC",
            dependencies: ["CodeMemory", "X86Assembler", "CShims", .product(name: "Atomics", package: "swift-atomics")]
        ),
        // perf map, GDB JIT interface, crash reports, .symtab symbols (guest-agnostic).
        .target(name: "JITDiagnostics", dependencies: ["CodeMemory", "CodeGC", "CShims"]),
        // Child process for JITDiagnostics tests and scripts/perf-demo: a gdb target, a deliberate crash.
        .executableTarget(
            name: "jitdiag-probe",
            dependencies: ["JITDiagnostics", "CodeMemory", "CodeGC", "X86Assembler", "CTestFixtures"]
        ),
        .target(name: "GuestSyntax", swiftSettings: metadataAccessors),
        // The interpreter keeps its hot state in raw memory and class fields it never accesses
        // overlappingly; dynamic exclusivity checks cost ~25% of a method call there.
        .target(
            name: "GuestVM", dependencies: ["GuestSyntax", "CShims"],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])] + metadataAccessors
        ),
        // Helpers run on every JIT-to-VM call: no dynamic exclusivity checks there either.
        .target(
            name: "GuestJIT", dependencies: ["GuestVM", "CodeGC"],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])] + metadataAccessors
        ),
        .target(
            name: "JitstackCLI",
            // CodeMemory, X86Assembler and CShims are imported by DemoCommand: listed so incremental builds see them.
            dependencies: [
                "GuestJIT", "JITDiagnostics", "CodeMemory", "X86Assembler", "CShims",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: metadataAccessors
        ),
        .executableTarget(name: "jitstack", dependencies: ["JitstackCLI"], swiftSettings: metadataAccessors, linkerSettings: [.unsafeFlags(["-static-stdlib", "-Xlinker", "-l_FoundationCShims", "-Xlinker", "-l_FoundationCollections"])]),

        // C functions compiled -O2 with frame pointers really omitted (SwiftPM appends
        // -fno-omit-frame-pointer, so -mframe-pointer=none is what takes effect).
        .target(
            name: "CTestFixtures",
            dependencies: ["CShims"],
            path: "Tests/CTestFixtures",
            cSettings: [.define("_GNU_SOURCE"), .unsafeFlags(["-O2", "-fomit-frame-pointer", "-Xclang", "-mframe-pointer=none"])]
        ),
        // Child-process running and product lookup shared by the suites that run built executables.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // Runs one guest program with the adversarial C cfuncs (Tests/CTestFixtures/adversary_cfuncs.c) and
        // prints ground truth vs. the collector's stack roots as JSON; a child of AdversarialCallbackTests.
        .executableTarget(
            name: "adversary-probe", dependencies: ["GuestJIT", "GuestVM", "CodeGC", "CTestFixtures"],
            path: "Tests/AdversaryProbe"
        ),
        .testTarget(name: "AdversarialCallbackTests", dependencies: ["TestSupport"]),
        .testTarget(name: "CodeMemoryTests", dependencies: ["CodeMemory", "X86Assembler", "CTestFixtures"]),
        .testTarget(name: "X86AssemblerTests", dependencies: ["X86Assembler", "CodeMemory"]),
        .testTarget(name: "GuestSyntaxTests", dependencies: ["GuestSyntax", "TestSupport"]),
        .testTarget(
            name: "JITDiagnosticsTests",
            dependencies: ["JITDiagnostics", "CodeMemory", "CodeGC", "X86Assembler", "CShims", "CTestFixtures", "TestSupport"]
        ),
        .testTarget(name: "CodeGCTests", dependencies: ["CodeGC", "CodeMemory", "X86Assembler", "CTestFixtures"]),
        .testTarget(name: "GuestJITTests", dependencies: ["GuestJIT", "GuestVM", "TestSupport"]),
        .testTarget(name: "GuestVMTests", dependencies: ["GuestVM", "GuestSyntax", "CTestFixtures"]),
        // Runs Tests/Corpus through the built `jitstack` executable as a subprocess.
        .testTarget(name: "CorpusTests", dependencies: ["GuestSyntax", "TestSupport"]),
        // Random programs run through the built `jitstack` with and without the JIT (and against ruby).
        .testTarget(name: "DifferentialFuzzTests", dependencies: ["GuestSyntax", "TestSupport"]),
        // Runs the built `jitstack` views (stack, pages, run's diagnostics flags, demo) as subprocesses.
        .testTarget(
            name: "JitstackViewTests",
            dependencies: ["TestSupport", "JitstackCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
    ]
)
