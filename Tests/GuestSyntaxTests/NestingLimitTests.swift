import Testing
import GuestSyntax

/// Deep nesting is a syntax error, never a stack overflow; moderately deep input still parses.
@Suite struct NestingLimitTests {
    static let tooDeep: [(name: String, source: String)] = {
        let n = 5000
        func rep(_ s: String, _ k: Int = n) -> String { String(repeating: s, count: k) }
        return [
            ("parentheses", rep("(") + "1" + rep(")")),
            ("arrays", rep("[") + rep("]")),
            ("interpolations", rep("\"#{") + rep("}\"")),
            ("bangs", rep("!") + "x"),
            ("minus signs", rep("- ") + "x"),
            ("not keywords", rep("not ") + "x"),
            ("assignments", rep("x = ") + "1"),
            ("ternaries", rep("a ? b : ") + "c"),
            ("ifs", rep("if a\n") + rep("end\n")),
            ("defs", rep("def a\n") + rep("end\n")),
            ("brace blocks", rep("foo { ") + rep("} ")),
            ("do blocks", rep("foo do\n") + rep("end\n")),
            ("command calls", rep("puts ") + "1"),
            ("method chain", "a" + rep(".b", 100_000)),
            ("index chain", "a" + rep("[0]", 100_000)),
            ("operator chain", "1" + rep(" + 1", 100_000)),
            ("modifier chain", "1" + rep(" if 1", 100_000)),
            ("and chain", "1" + rep(" and 1", 100_000)),
            ("elsif chain", "if a\n" + rep("elsif b\n", 100_000) + "end"),
            ("constant scopes", "A" + rep("::A", 100_000)),
        ]
    }()

    @Test(arguments: tooDeep.map(\.name))
    func excessiveNestingIsASyntaxError(name: String) throws {
        let source = try #require(Self.tooDeep.first { $0.name == name }).source
        let error = try #require(throws: SyntaxError.self) { try parseProgram(source, fileName: "deep.rb") }
        #expect(error.message == "nesting too deep (more than 1000 levels)")
    }

    @Test func nineHundredNestedParenthesesParse() throws {
        let source = String(repeating: "(", count: 900) + "7" + String(repeating: ")", count: 900)
        #expect(try sexp(source) == "7")
    }

    @Test func nestedArraysWithinTheLimitKeepTheirShape() throws {
        let source = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(try sexp(source) == String(repeating: "[", count: 300) + String(repeating: "]", count: 300))
    }

    @Test func theLimitIsConfigurable() throws {
        #expect(try sexp("((1))") == "1")
        let error = try #require(throws: SyntaxError.self) {
            try parseProgram("[[[[1]]]]", fileName: "t.rb", maximumNestingDepth: 3)
        }
        #expect(error.description == "t.rb:1:4: nesting too deep (more than 3 levels)")
    }

    @Test func longFlatProgramsAreNotNesting() throws {
        let statements = String(repeating: "x = 1 + 2\n", count: 5_000)
        let program = try parseProgram(statements, fileName: "flat.rb")
        guard case .sequence(let list) = program.kind else { Issue.record("not a sequence"); return }
        #expect(list.count == 5_000)
        let manyLocals = (0..<5_000).map { "v\($0) = 1\n" }.joined() + "v4999"
        #expect(try sexp(manyLocals).hasSuffix("; v4999"))
        let array = "[" + String(repeating: "1, ", count: 5_000) + "]"
        #expect(try sexp(array).count == 2 * 5_000 + 1)
    }
}
