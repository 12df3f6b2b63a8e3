import Testing
import GuestSyntax

/// An identifier reads a local only once that local has been assigned earlier in the scope.
@Suite struct LocalsVersusCallsTests {
    @Test func identifierIsACallUntilAssigned() throws {
        #expect(try sexp("x; x = 1; x") == "(call . x); (= x 1); x")
    }

    @Test func assignmentDeclaresTheLocalBeforeItsValueIsParsed() throws {
        #expect(try sexp("x = x") == "(= x x)")
        #expect(try sexp("y = y + 1") == "(= y (call y + 1))")
    }

    @Test func assignmentInAnUntakenBranchStillDeclares() throws {
        #expect(try sexp("x = 1 if false; x") == "(if false (= x 1) _); x")
    }

    @Test func defBodiesStartAFreshScope() throws {
        #expect(try sexp("x = 1\ndef f\n x\nend\nx") == "(= x 1); (def f () (seq (call . x))); x")
        #expect(try sexp("def f(a)\n a\nend\na") == "(def f (a) (seq a)); (call . a)")
    }

    @Test func classBodiesStartAFreshScope() throws {
        #expect(try sexp("x = 1\nclass A\n x\nend") == "(= x 1); (class A _ (seq (call . x)))")
    }

    @Test func blocksSeeEnclosingLocalsButTheirOwnStayInside() throws {
        #expect(try sexp("x = 1\nfoo { x; y = 2; y }\ny") == "(= x 1); (call . foo {|| (seq x (= y 2) y)}); (call . y)")
        #expect(try sexp("foo { |a| a }; a") == "(call . foo {|a| (seq a)}); (call . a)")
    }

    @Test func nestedBlocksSeeOuterBlockParameters() throws {
        #expect(try sexp("foo { |a| bar { |b| a + b } }") ==
                "(call . foo {|a| (seq (call . bar {|b| (seq (call a + b))}))})")
    }

    @Test func blockInsideDefSeesTheDefsLocalsOnly() throws {
        #expect(try sexp("z = 0\ndef f(a)\n each { a; z }\nend") == "(= z 0); (def f (a) (seq (call . each {|| (seq a (call . z))})))")
    }

    @Test func parenthesesForceACallEvenForALocalName() throws {
        #expect(try sexp("foo = 1; foo()") == "(= foo 1); (call . foo())")
    }

    @Test func rescueVariableIsALocal() throws {
        #expect(try sexp("begin\nrescue => e\nend\ne") == "(begin (seq) (rescue [] => e (seq))); e")
    }

    @Test func operatorAssignmentDeclaresTheLocal() throws {
        #expect(try sexp("n += 1; n") == "(+= n 1); n")
    }

    @Test func namesWithQuestionOrBangAreNeverLocals() throws {
        #expect(try sexp("a = 1; a?") == "(= a 1); (call . a?)")
    }

    @Test func interpolationSeesTheEnclosingLocals() throws {
        #expect(try sexp("x = 1; \"#{x}#{y}\"") == "(= x 1); (dstr x (call . y))")
    }
}
