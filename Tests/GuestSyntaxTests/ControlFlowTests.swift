import Testing
import GuestSyntax

/// Conditionals, loops and jumps.
@Suite struct ControlFlowTests {
    @Test func ifElsifElseNestsElsifAsElseBranches() throws {
        #expect(try sexp("if a\n 1\nelsif b\n 2\nelse\n 3\nend") ==
                "(if (call . a) (seq 1) (if (call . b) (seq 2) (seq 3)))")
        #expect(try sexp("if a then 1 end") == "(if (call . a) (seq 1) _)")
        #expect(try sexp("if a; end") == "(if (call . a) (seq) _)")
        #expect(try sexp("if a\nthen 1\nend") == "(if (call . a) (seq 1) _)")
    }

    @Test func longElsifChainBecomesNestedElseBranches() throws {
        let source = "if a\n" + (0..<500).map { "elsif x\($0)\n\($0)\n" }.joined() + "end"
        let tree = try sexp(source)
        #expect(tree.hasPrefix("(if (call . a) (seq) (if (call . x0) (seq 0)"))
    }

    @Test func unlessSwapsTheBranches() throws {
        #expect(try sexp("unless a\n 1\nelse\n 2\nend") == "(if (call . a) (seq 2) (seq 1))")
        #expect(try sexp("unless a then 1 end") == "(if (call . a) _ (seq 1))")
    }

    @Test func whileAndUntilWithOrWithoutDo() throws {
        #expect(try sexp("while a\n 1\nend") == "(while (call . a) (seq 1))")
        #expect(try sexp("while a do 1 end") == "(while (call . a) (seq 1))")
        #expect(try sexp("until a; 1; end") == "(while (! (call . a)) (seq 1))")
    }

    @Test func beginEndWhileRunsTheBodyFirst() throws {
        #expect(try sexp("begin\n 1\nend while a") == "(while true (seq (seq 1) (if (call . a) _ (break))))")
        #expect(try sexp("begin\n 1\nend until a") == "(while true (seq (seq 1) (if (call . a) (break) _)))")
    }

    @Test func jumpsTakeOptionalValues() throws {
        #expect(try sexp("break") == "(break)")
        #expect(try sexp("break 5") == "(break 5)")
        #expect(try sexp("next x") == "(next (call . x))")
        #expect(try sexp("return -1") == "(return -1)")
        #expect(try sexp("return 1, 2") == "(return [1 2])")
        #expect(try sexp("return if a") == "(if (call . a) (return) _)")
        #expect(try sexp("return foo 1") == "(return (call . foo 1))")
    }

    @Test func jumpWithoutValueEndsAtNewline() throws {
        #expect(try sexp("return\n1") == "(return); 1")
    }

    @Test func notAndOrKeywords() throws {
        #expect(try sexp("not a") == "(! (call . a))")
        #expect(try sexp("a and b or c") == "(|| (&& (call . a) (call . b)) (call . c))")
        #expect(try sexp("a && !b") == "(&& (call . a) (! (call . b)))")
    }

    @Test func ifIsAnExpression() throws {
        #expect(try sexp("x = if a then 1 else 2 end") == "(= x (if (call . a) (seq 1) (seq 2)))")
    }

    @Test func semicolonsAndNewlinesSeparateStatements() throws {
        #expect(try sexp(";;1;\n\n;2;") == "1; 2")
        #expect(try sexp("(1; 2)") == "(seq 1 2)")
        #expect(try sexp("()") == "nil")
    }

    @Test func commentsAndEmbeddedDocumentsAreSkipped() throws {
        #expect(try sexp("1 # one\n# two\n=begin\nanything ( [\n=end\n2") == "1; 2")
        #expect(try sexp("=begin\n=end\n3") == "3")
        #expect(try sexp("1 +  # continues\n 2") == "(call 1 + 2)")
    }

    @Test func backslashJoinsLinesAndEndMarkerStopsTheFile() throws {
        #expect(try sexp("1 \\\n+ 2") == "(call 1 + 2)")
        #expect(try sexp("1\n__END__\n( garbage") == "1")
    }

    @Test func loopIsACallWithABlock() throws {
        #expect(try sexp("loop do\n break 1\nend") == "(call . loop {|| (seq (break 1))})")
    }
}
