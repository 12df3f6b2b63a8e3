import ArgumentParser
import CShims
import GuestJIT
import GuestVM

/// `jitstack demo`: the embedded scenarios with short stack dumps, page maps and stats, then the code
/// memory tour. What `scripts/demo` runs.
public struct DemoCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the embedded scenarios (churn, adversary, fiber, C callback) and the code-memory tour.",
        discussion: """
        Scenarios, each a small guest program run on the JIT with its stack dumps, page map and stats:
          churn      the seed's churn at 1 MiB: a new method compiled and discarded on every iteration
          adversary  a compiled method that removes itself and collects code while its frame runs
          fiber      a fiber suspended inside compiled code across code GCs
          callback   a C function that calls back into guest code, which collects its JIT caller
          memory     the code region itself: write and run code, free pages, W^X costs
        Stack dumps use the `jitstack stack` format, page maps the `jitstack pages` format.
        """
    )

    @Option(name: .customLong("scenario"), help: "Run only these scenarios (churn, adversary, fiber, callback, memory).")
    var scenarios: [String] = []

    @Option(help: "Iterations of the churn scenario.")
    var churnEvals = 15_000

    @Option(name: .customLong("svg-dir"), help: "Write each scenario's occupancy picture to DIR/NAME.svg.")
    var svgDirectory: String?

    @Flag(name: .customLong("json"), help: "Print the scenarios' results as one JSON document (skips the memory tour).")
    var json = false

    @Option(help: "Memory tour: bytes of address space to reserve, in KiB.")
    var regionKiB = 1024

    @Option(help: "Memory tour: bytes per code page, in KiB (a power of two, at least the OS page).")
    var pageKiB = 16

    @Option(help: "Memory tour: W^X scheme, dualMapping or mprotectToggle.")
    var strategy: WXStrategyArgument = .dualMapping

    @Flag(help: "Memory tour: skip measuring the cost of the two W^X schemes.")
    var skipWXBenchmark = false

    public init() {}

    static let known = ["churn", "adversary", "fiber", "callback", "memory"]

    public func validate() throws {
        for name in scenarios where !Self.known.contains(name) {
            throw ValidationError("unknown scenario '\(name)' (known: \(Self.known.joined(separator: ", ")))")
        }
        guard churnEvals >= 1 && churnEvals <= 10_000_000 else { throw ValidationError("--churn-evals must be 1...10000000") }
    }

    public func run() throws {
        let wanted = scenarios.isEmpty ? Self.known : scenarios
        let all = [DemoScenario.churn(evals: churnEvals), .adversary, .fiber, .callback]
        var results: [JSONValue] = []
        var failed = false
        for (index, scenario) in all.enumerated() where wanted.contains(scenario.name) {
            let result = try DemoRun.run(scenario)
            failed = failed || result.status != 0
            if let svgDirectory, let timeline = result.timeline {
                let path = "\(svgDirectory)/\(scenario.name).svg"
                var picture = OccupancySVG(timeline: timeline)
                picture.title = "jitstack demo: \(scenario.name)"
                guard PagesCommand.write(picture.document, to: path) else {
                    throw ValidationError("cannot write \(path)")
                }
            }
            if json {
                results.append(result.json)
            } else {
                print(result.text(number: index + 1))
            }
        }
        if json {
            print(JSONValue.object([("view", .string("demo")), ("scenarios", .array(results))]).text)
        } else if wanted.contains("memory") {
            print("==== 5. Code memory: the region under the JIT\n")
            try CodeMemoryTour.run(regionKiB: regionKiB, pageKiB: pageKiB, strategy: strategy, skipWXBenchmark: skipWXBenchmark)
        }
        if failed { throw ExitCode(1) }
    }
}

/// One scenario's run and what it showed.
struct DemoRun {
    let scenario: DemoScenario
    var output = ""
    var status: Int32 = 0
    var dumps: [StackDump] = []
    var timeline: CodePageTimeline?
    var stats: [(String, Int)] = []

    static func run(_ scenario: DemoScenario) throws -> DemoRun {
        var run = DemoRun(scenario: scenario)
        let options = try RunOptions.parse(scenario.flags)
        let session = ProgramSession(settings: options.settings)
        guard let jit = session.jit, let inspector = session.inspector else { throw ExitCode(1) }
        inspector.tracksBlocks = true
        if let callback = jr_demo_callback_function() {
            session.vm.defineCFunction(session.vm.objectClass, "c_callback", arity: 0, protected: true, callback)
        }
        session.stacks.frameLimit = 40
        var timeline = CodePageTimeline(region: jit.region)
        timeline.snapshot("start", jit: jit, blocks: inspector.blocks, pinned: [])
        inspector.timeline = timeline
        var output = ""
        var dumps: [StackDump] = []
        session.vm.output.capture = { output += $0 }
        JITModule.stackDumper = { ec in dumps.append(session.dump(trigger: "JIT.dump_stack", current: ec)) }
        defer { JITModule.stackDumper = nil }
        run.status = session.run(scenario.program, fileName: scenario.name + ".rb")
        run.output = output
        run.dumps = dumps
        run.timeline = inspector.timeline
        let all = jit.statistics()
        run.stats = scenario.stats.compactMap { name in all.first { $0.name == name }.map { (name, $0.value) } }
        return run
    }

    func text(number: Int) -> String {
        var lines = ["==== \(number). \(scenario.title)", "", scenario.story, "",
                     "-- program (jitstack run \(scenario.flags.joined(separator: " ")))"]
        lines += scenario.program.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        lines.append("-- output" + (status == 0 ? "" : " (exit status \(status))"))
        lines += output.split(separator: "\n").prefix(10).map { "  " + $0 }
        for dump in dumps.prefix(2) {
            lines.append("-- stacks at JIT.dump_stack")
            lines.append(dump.text(compact: true))
        }
        if let timeline {
            lines.append("-- code pages")
            var view = PageMapView(timeline: timeline)
            view.rowLimit = 14
            view.columnLimit = 64
            view.freedDetailLimit = 2
            view.gcLimit = 6
            lines.append(view.text)
        }
        lines.append("-- stats: " + stats.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
        lines.append("")
        return lines.joined(separator: "\n")
    }

    var json: JSONValue {
        .object([
            ("name", .string(scenario.name)), ("exit_status", .int(Int(status))), ("output", .string(output)),
            ("dumps", .array(dumps.map(\.json))), ("region", timeline.map { PageMapView(timeline: $0).json } ?? .null),
            ("stats", .object(stats.map { ($0.0, .int($0.1)) })),
        ])
    }
}
