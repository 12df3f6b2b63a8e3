/// Every execution context's stacks at one moment (`jitstack stack`, `--dump-stacks-on-gc`): the model
/// both the text and the JSON views print.
struct StackDump {
    /// What asked for it: `JIT.dump_stack`, `SIGUSR1`, `code GC #3`.
    var trigger: String
    var number: Int
    var contexts: [ContextStack]
}

/// One execution context: the main program, a fiber (later: a thread).
struct ContextStack {
    /// `main`, `fiber`.
    var label: String
    /// `running` (the context that took the dump), `suspended`, ...
    var state: String
    /// How the native stack was read: `precise` (libunwind to the end), `conservative` (stack words that
    /// point into the code region), or `none` (no native stack of its own to read).
    var walk: String
    var nativeFrames: [NativeFrame]
    /// Native frames not listed (the dump keeps the innermost ones).
    var omittedNativeFrames: Int
    var vmFrames: [VMFrame]
    var omittedVMFrames: Int
    /// Code pages this context's frames keep alive (native return addresses and `jit_return`s).
    var pinnedPages: [Int]
}

/// Where a return lands in JIT code.
struct JITLocation {
    var address: UInt
    /// `block`, `stub`, `shared` (trampoline and common exits) or `unknown`.
    var what: String
    var method: String?
    var pcs: ClosedRange<Int>?
    /// The instruction the frame resumes at, when the address is a return point.
    var resumePC: Int?
    /// `live` or `invalidated` for a block.
    var state: String?
    var page: Int?
}

struct NativeFrame {
    var index: Int
    var address: UInt
    /// `JIT`, `C`, `Swift`, `runtime`.
    var kind: String
    var symbol: String?
    var offset: UInt
    var object: String?
    var jit: JITLocation?
}

struct VMFrame {
    var index: Int
    /// `method`, `block`, `top`, `class`, `eval`, `cfunc`.
    var type: String
    var name: String
    var file: String?
    var line: Int?
    var pc: Int?
    var jitReturn: JITLocation?
}

extension StackDump {
    /// The readable view (``text(compact:)`` with Swift and runtime frames folded).
    var text: String { text(compact: true) }

    /// The readable view; `compact` folds each run of Swift and runtime frames into one line.
    func text(compact: Bool) -> String {
        var lines = ["== stack dump \(number) (\(trigger)): \(contexts.count) execution context\(contexts.count == 1 ? "" : "s")"]
        for (index, context) in contexts.enumerated() {
            let pins = context.pinnedPages.isEmpty ? "pins no code page"
                : "pins page\(context.pinnedPages.count == 1 ? "" : "s") \(context.pinnedPages.map(String.init).joined(separator: ", "))"
            lines.append("-- context \(index): \(context.label), \(context.state); native walk \(context.walk); \(pins)")
            lines.append("   VM frames (innermost first):")
            for frame in context.vmFrames {
                var line = "    v\(frame.index) \(frame.type.padded(6)) \(frame.name)"
                if let file = frame.file, let number = frame.line { line += "  \(file):\(number)" }
                if let pc = frame.pc { line += " pc \(pc)" }
                if let target = frame.jitReturn { line += "  jit_return \(target.text)" }
                lines.append(line)
            }
            if context.omittedVMFrames > 0 { lines.append("    ... \(context.omittedVMFrames) more VM frames") }
            if context.walk != "none" {
                lines.append("   native frames (innermost first):")
                var folded: [NativeFrame] = []
                func flushFolded() {
                    guard !folded.isEmpty else { return }
                    let names = folded.compactMap(\.symbol)
                    let span = names.isEmpty ? "" : ": \(names.first!)" + (names.count > 1 ? " ... \(names.last!)" : "")
                    let indices = folded.count == 1 ? "#\(folded[0].index)" : "#\(folded[0].index)-\(folded[folded.count - 1].index)"
                    lines.append("    \(indices) \(folded.count) Swift/runtime frame\(folded.count == 1 ? "" : "s")\(span)")
                    folded.removeAll()
                }
                for frame in context.nativeFrames {
                    if compact && (frame.kind == "Swift" || frame.kind == "runtime") {
                        folded.append(frame)
                        continue
                    }
                    flushFolded()
                    var line = "    #\(frame.index) \(hexAddress(frame.address)) \(frame.kind.padded(8))"
                    if let jit = frame.jit {
                        line += jit.description
                    } else {
                        line += frame.symbol.map { "\($0)+\(hexAddress(frame.offset))" } ?? "??"
                        if let object = frame.object { line += " (\(object))" }
                    }
                    lines.append(line)
                }
                flushFolded()
                if context.omittedNativeFrames > 0 { lines.append("    ... \(context.omittedNativeFrames) more native frames") }
            }
        }
        return lines.joined(separator: "\n")
    }

    var json: JSONValue {
        .object([
            ("dump", .int(number)), ("trigger", .string(trigger)),
            ("contexts", .array(contexts.map { context in
                .object([
                    ("label", .string(context.label)), ("state", .string(context.state)), ("walk", .string(context.walk)),
                    ("pinned_pages", .array(context.pinnedPages.map { .int($0) })),
                    ("vm_frames", .array(context.vmFrames.map { frame in
                        .object([
                            ("index", .int(frame.index)), ("type", .string(frame.type)), ("name", .string(frame.name)),
                            ("file", frame.file.json), ("line", frame.line.json), ("pc", frame.pc.json),
                            ("jit_return", frame.jitReturn?.json ?? .null),
                        ])
                    })),
                    ("omitted_vm_frames", .int(context.omittedVMFrames)),
                    ("native_frames", .array(context.nativeFrames.map { frame in
                        .object([
                            ("index", .int(frame.index)), ("address", .string(hexAddress(frame.address))),
                            ("kind", .string(frame.kind)), ("symbol", frame.symbol.json),
                            ("offset", .int(Int(frame.offset))), ("object", frame.object.json),
                            ("jit", frame.jit?.json ?? .null),
                        ])
                    })),
                    ("omitted_native_frames", .int(context.omittedNativeFrames)),
                ])
            })),
        ])
    }
}

extension JITLocation {
    /// `0x7f... fib pc 0...12 (resumes at pc 7) live, page 3`.
    var text: String { hexAddress(address) + " " + description }

    /// `fib pc 0...12 (resumes at pc 7) live, page 3` (no address).
    var description: String {
        var text = ""
        switch what {
        case "block":
            text += "\(method ?? "?")"
            if let pcs { text += " pc \(pcs.lowerBound)...\(pcs.upperBound)" }
            if let resumePC { text += " (resumes at pc \(resumePC))" }
            text += " \(state ?? "?")"
        case "stub": text += "stub (compiles a branch target on first use)"
        case "shared": text += "shared JIT code (entry trampoline, exits)"
        default: text += "code no block owns"
        }
        if let page { text += ", page \(page)" }
        return text
    }

    var json: JSONValue {
        .object([
            ("address", .string(hexAddress(address))), ("what", .string(what)), ("method", method.json),
            ("pc_start", (pcs?.lowerBound).json), ("pc_end", (pcs?.upperBound).json), ("resume_pc", resumePC.json),
            ("state", state.json), ("page", page.json),
        ])
    }
}

extension String {
    func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
