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
}
