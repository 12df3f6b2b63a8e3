import Foundation
import TestSupport
import Testing

/// The long-running fuzzer behind `scripts/fuzz` (enabled by `JITSTACK_FUZZ_SECONDS`): random seeds,
/// every JIT configuration, a share of the Ruby-comparable programs also against ruby, and hostile
/// CLI inputs; each disagreement is minimized and saved in `Tests/FuzzRepros/`.
@Suite struct FuzzSessionTests {
    static let seconds = ProcessInfo.processInfo.environment["JITSTACK_FUZZ_SECONDS"].flatMap { Double($0) }
    /// `JITSTACK_FUZZ_SEEDS=4,9`: check (and minimize and save) just these seeds.
    static let seeds = ProcessInfo.processInfo.environment["JITSTACK_FUZZ_SEEDS"].map {
        $0.split(separator: ",").compactMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
    }

    @Test(.enabled(if: seeds != nil, "set JITSTACK_FUZZ_SEEDS (scripts/fuzz --seeds)"))
    func minimizeAndSaveGivenSeeds() throws {
        let jitstack = try BuiltProduct.jitstack.located().path
        let check = DifferentialCheck(jitstack: jitstack, configurations: RunFlags.supported(by: jitstack))
        let tally = Tally()
        _ = parallelMap(Self.seeds!, width: FuzzBatch.width) { seed -> Int in
            let program = ProgramGenerator.generate(seed: seed, options: FuzzBatch.options(forSeed: seed))
            if let found = check.check(program.source) {
                Self.save(seed: seed, program, found, check: check, ruby: RubyLocator.path, tally: tally)
            } else {
                print("fuzz: seed \(seed): all configurations agree")
            }
            return 0
        }
    }

    final class Tally: @unchecked Sendable {
        let lock = NSLock()
        var programs = 0, rubyChecked = 0, cliInputs = 0, knownRepeats = 0
        var saved: [String] = []
        var seenSignatures = Set<String>()
        func add(_ body: (Tally) -> Void) {
            lock.lock()
            body(self)
            lock.unlock()
        }
    }

    @Test(.enabled(if: seconds != nil, "set JITSTACK_FUZZ_SECONDS (scripts/fuzz)"))
    func fuzzUntilTimeRunsOut() throws {
        let jitstack = try BuiltProduct.jitstack.located().path
        let configurations = RunFlags.supported(by: jitstack)
        let check = DifferentialCheck(jitstack: jitstack, configurations: configurations, timeout: 20)
        let ruby = ProcessInfo.processInfo.environment["JITSTACK_FUZZ_RUBY"] == "0" ? nil : RubyLocator.path
        let corpus = CLIRobustnessTests.corpusPrograms()
        let deadline = Date().addingTimeInterval(Self.seconds!)
        let firstSeed = ProcessInfo.processInfo.environment["JITSTACK_FUZZ_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 1...(1 << 40))
        let tally = Tally()
        let started = Date()
        print("fuzz: seeds from \(firstSeed), configurations: --no-jit vs \(configurations.map(\.description).joined(separator: "; "))"
            + (ruby == nil ? "" : "; ruby on a quarter of the ruby-comparable programs"))

        _ = parallelMap(Array(0..<FuzzBatch.width), width: FuzzBatch.width) { worker -> Int in
            var seed = firstSeed + UInt64(worker)
            while Date() < deadline {
                defer { seed += UInt64(FuzzBatch.width) }
                let options = FuzzBatch.options(forSeed: seed)
                let program = ProgramGenerator.generate(seed: seed, options: options)
                var found = check.check(program.source)
                var checkedRuby = false
                if found == nil, let ruby, options == .rubyComparable, seed % 4 == 0 {
                    checkedRuby = true
                    found = check.checkAgainstRuby(program.source, ruby: ruby)
                }
                tally.add {
                    $0.programs += 1
                    if checkedRuby { $0.rubyChecked += 1 }
                }
                if let found { Self.save(seed: seed, program, found, check: check, ruby: ruby, tally: tally) }
                if seed % 8 == 0, !corpus.isEmpty {
                    var mutator = InputMutator(rng: SplitMix64(seed: seed))
                    let input = seed % 16 == 0 ? mutator.randomBytes() : mutator.mutate(corpus[Int(seed / 8) % corpus.count])
                    if let problem = CLIRobustnessTests.problem(running: input, jitstack: jitstack) {
                        Self.saveInput(seed: seed, input, problem, tally: tally)
                    }
                    tally.add { $0.cliInputs += 1 }
                }
            }
            return worker
        }
        let elapsed = Date().timeIntervalSince(started)
        print(String(format: "fuzz: %d programs (%.2f/s, each run %d ways), %d also against ruby, %d CLI inputs, %d findings saved, %d repeats of known crashes, in %.0f s",
                     tally.programs, Double(tally.programs) / elapsed, configurations.count + 1, tally.rubyChecked,
                     tally.cliInputs, tally.saved.count, tally.knownRepeats, elapsed))
        for file in tally.saved { print("fuzz: saved \(file)") }
    }

    /// Minimizes while the same kind of disagreement against the same run persists, then saves it.
    static func save(seed: UInt64, _ program: GeneratedProgram, _ found: Disagreement, check: DifferentialCheck,
                     ruby: String?, tally: Tally) {
        let narrowed = DifferentialCheck(jitstack: check.jitstack, configurations: found.flags.map { [$0] } ?? [],
                                         timeout: found.kind == .hang ? 10 : check.timeout)
        func same(_ source: String) -> Disagreement? {
            let again = found.against == "ruby" ? ruby.flatMap { narrowed.checkAgainstRuby(source, ruby: $0) }
                : narrowed.check(source)
            guard let again, again.kind == found.kind, again.against == found.against else { return nil }
            return again
        }
        if let signature = found.signature {
            var fresh = false
            tally.add { fresh = $0.seenSignatures.insert(signature).inserted }
            if !fresh || ReproStore.openFindings().signatures.contains(signature) {
                print("fuzz: seed \(seed): known crash (\(signature)), not saved again")
                tally.add { $0.knownRepeats += 1 }
                return
            }
        }
        print("fuzz: seed \(seed): \(found.kind.rawValue) against \(found.against); minimizing")
        let minimized = Minimizer.minimizeProgram(program.statements) { same($0) != nil }
        guard let final = same(minimized) else {
            print("fuzz: seed \(seed): did not reproduce after minimizing (flaky?)\n\(found)")
            return
        }
        let rubyAgrees = ruby.flatMap { r -> Bool? in
            FuzzBatch.options(forSeed: seed) == .rubyComparable && found.against != "ruby"
                ? narrowed.checkAgainstRuby(minimized, ruby: r) == nil : nil
        }
        do {
            let file = try ReproStore.save(seed: seed, program: minimized, disagreement: final, rubyAgrees: rubyAgrees)
            tally.add { $0.saved.append(file.lastPathComponent) }
            print("fuzz: seed \(seed): saved \(file.path)\n\(final)\n--- minimized program:\n\(minimized)")
        } catch {
            print("fuzz: seed \(seed): cannot save: \(error)")
        }
    }

    static func saveInput(seed: UInt64, _ input: Data, _ problem: String, tally: Tally) {
        let url = ReproStore.directory.appendingPathComponent("cli-\(seed).input")
        try? FileManager.default.createDirectory(at: ReproStore.directory, withIntermediateDirectories: true)
        try? input.write(to: url)
        tally.add { $0.saved.append(url.lastPathComponent) }
        print("fuzz: CLI input \(seed): \(problem)\nsaved \(url.path) (reproduce: .build/debug/jitstack run \(url.path))")
    }
}
