import ArgumentParser
import Glibc

/// `jitstack pages FILE`: the code region over a run.
public struct PagesCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "pages",
        abstract: "Run a program; show the code region over the run: page states, fill, owners, what each code GC freed and why.",
        discussion: """
        A snapshot of every code page is taken as each code GC begins and at the end. A page is: \
        `.` never used, `f` free (freed, on the free list), `L` live code, `i` only invalidated code that no \
        frame returns into (the next GC frees it), `P` pinned (only invalidated code, kept because a frame \
        still returns into it), `W` being written (the JIT's current page), `S` shared code (entry \
        trampoline, exits). At the end each page lists its inline and outlined bytes used and its owners (the \
        blocks on it: method, ISEQ pc range, live or invalidated); each GC lists why it ran (requested: \
        JIT.code_gc, --stress-gc, JIT.discard_all; allocation: the region was full or past its occupancy \
        threshold), the pages it freed with what they held and why, and the pages stacks pinned. \
        --svg PATH draws the same timeline as a picture (pages by GC number). The map is printed after the \
        program's output; with --json, one JSON document holds the output and the map.
        """
    )

    @Option(name: .customShort("e"), help: "Program text to run instead of a file.")
    public var code: String?

    @Argument(help: "The program file.")
    public var file: String?

    @Option(name: .customLong("svg"), help: "Also write the occupancy picture (SVG) to this path.")
    public var svgPath: String?

    @OptionGroup public var options: RunOptions

    public init() {}

    public func validate() throws {
        if code == nil && file == nil { throw ValidationError("give a program FILE or -e CODE") }
        if code != nil && file != nil { throw ValidationError("give either a program FILE or -e CODE, not both") }
        if options.noJIT { throw ValidationError("pages shows the JIT's code region: drop --no-jit") }
    }

    public func run() throws {
        guard let (text, fileName) = ProgramRunner.load(source: code, file: file) else { throw ExitCode(1) }
        let session = ProgramSession(settings: options.settings)
        guard let jit = session.jit, let inspector = session.inspector else { throw ExitCode(1) }
        inspector.tracksBlocks = true
        var timeline = CodePageTimeline(region: jit.region)
        timeline.snapshot("start", jit: jit, blocks: inspector.blocks, pinned: [])
        inspector.timeline = timeline
        let json = options.jit.json
        var output = ""
        if json { session.vm.output.capture = { output += $0 } }
        let status = session.run(text, fileName: fileName)
        guard let finished = inspector.timeline else { throw ExitCode(1) }
        let view = PageMapView(timeline: finished)
        if let svgPath {
            guard Self.write(OccupancySVG(timeline: finished).document, to: svgPath) else {
                ProgramRunner.printError("jitstack: cannot write \(svgPath): \(String(cString: strerror(errno)))\n")
                throw ExitCode(1)
            }
        }
        if json {
            print(JSONValue.object([
                ("view", .string("pages")), ("exit_status", .int(Int(status))), ("output", .string(output)),
                ("region", view.json),
            ]).text)
        } else {
            print(view.text)
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// Writes `text` to `path`; false (errno set) on failure.
    static func write(_ text: String, to path: String) -> Bool {
        guard let file = fopen(path, "w") else { return false }
        let bytes = Array(text.utf8)
        let written = fwrite(bytes, 1, bytes.count, file)
        return fclose(file) == 0 && written == bytes.count
    }
}
