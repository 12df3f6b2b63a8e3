import GuestSyntax
import Testing

/// The generator is deterministic per seed and its programs are valid syntax.
@Suite struct GeneratorTests {
    @Test func theSameSeedGivesTheSameProgram() {
        for seed: UInt64 in [0, 1, 42, 0xDEAD_BEEF] {
            let a = ProgramGenerator.generate(seed: seed, options: .jitstackOnly)
            let b = ProgramGenerator.generate(seed: seed, options: .jitstackOnly)
            #expect(a.source == b.source)
        }
    }

    @Test func differentSeedsGiveDifferentPrograms() {
        let sources = Set((0..<50).map { ProgramGenerator.generate(seed: UInt64($0), options: .rubyComparable).source })
        #expect(sources.count == 50)
    }

    @Test func generatedProgramsParse() throws {
        for seed in 0..<300 {
            let options: GeneratorOptions = seed % 2 == 0 ? .rubyComparable : .jitstackOnly
            let program = ProgramGenerator.generate(seed: UInt64(seed), options: options)
            do {
                _ = try parseProgram(program.source, fileName: "seed\(seed).rb")
            } catch {
                Issue.record("seed \(seed): \(error)\n\(program.source)")
            }
        }
    }

    /// Over many seeds every feature the generator knows shows up, so none silently stopped being made.
    @Test func programsCoverEveryConstruct() {
        let text = (0..<200).map { ProgramGenerator.generate(seed: UInt64($0), options: .jitstackOnly).source }
            .joined(separator: "\n")
        let constructs = [
            "remove_method", "eval(\"def ", "TOPLEVEL_BINDING", "yield(", ".times", ".each", "break ", "next ",
            "rescue", "ensure", "while ", "until ", "class ", " < K", "@x", "#{", "<<", ".pop", "return ",
            "9223372036854775807", "Fiber", "block_given?", "attr_reader",
        ]
        for construct in constructs where !(construct == "Fiber") {
            #expect(text.contains(construct), "no program contains \(construct)")
        }
        #expect(!text.contains("Fiber"), "fibers are off by default")
    }

    /// Arrays grow (`<<`, `push`) only in code that runs once per run of its enclosing code, never in a
    /// loop or block body: an `each` over an array a loop appended to is quadratic, and the generator's
    /// allowances assume short arrays (seed 8002195 appended 280 elements per round of a loop and iterated
    /// the array inside it: minutes in the interpreter, reported as a hang).
    @Test func arraysNeverGrowInsideLoopsOrBlocks() {
        let loopOpeners = ["while ", "until ", ".times", ".each", " do |", "{ |"]
        var mutations = 0
        for seed in 0..<300 {
            let options: GeneratorOptions = seed % 2 == 0 ? .rubyComparable : .jitstackOnly
            let source = ProgramGenerator.generate(seed: UInt64(seed), options: options).source
            var open: [(indent: Int, line: String)] = []
            for line in source.split(separator: "\n").map(String.init) where !line.allSatisfy(\.isWhitespace) {
                let indent = line.prefix { $0 == " " }.count
                while let last = open.last, last.indent >= indent { open.removeLast() }
                if line.contains(" << ") || line.contains(".push(") {
                    mutations += 1
                    let loop = open.last { opener in loopOpeners.contains { opener.line.contains($0) } }
                    #expect(loop == nil, "seed \(seed): \(line.trimmingCharacters(in: .whitespaces)) inside \(loop?.line ?? "")")
                }
                open.append((indent, line))
            }
        }
        #expect(mutations > 50)  // appends are still made, in straight-line code
    }
}
