import Testing
import GuestSyntax

/// `begin/rescue/else/ensure`, rescue in bodies, and the rescue modifier.
@Suite struct RescueTests {
    @Test func fullBeginBlock() throws {
        #expect(try sexp("begin\n x\nrescue A, B => e\n y\nelse\n z\nensure\n w\nend") ==
                "(begin (seq (call . x)) (rescue [A B] => e (seq (call . y))) (else (seq (call . z))) (ensure (seq (call . w))))")
    }

    @Test func bareRescueAndRescueWithOnlyAVariable() throws {
        #expect(try sexp("begin; 1; rescue; 2; end") == "(begin (seq 1) (rescue [] (seq 2)))")
        #expect(try sexp("begin\n1\nrescue => err\nerr\nend") == "(begin (seq 1) (rescue [] => err (seq err)))")
        #expect(try sexp("begin; 1; rescue A then 2; end") == "(begin (seq 1) (rescue [A] (seq 2)))")
    }

    @Test func severalRescueClausesInOrder() throws {
        #expect(try sexp("begin\nrescue A\n 1\nrescue ::B::C => e\n 2\nend") ==
                "(begin (seq) (rescue [A] (seq 1)) (rescue [::B::C] => e (seq 2)))")
    }

    @Test func ensureWithoutRescue() throws {
        #expect(try sexp("begin\n 1\nensure\n 2\nend") == "(begin (seq 1) (ensure (seq 2)))")
    }

    @Test func beginWithoutClausesIsItsBody() throws {
        #expect(try sexp("begin\n 1\n 2\nend") == "(seq 1 2)")
    }

    @Test func rescueModifierWrapsTheStatementOrTheAssignedValue() throws {
        #expect(try sexp("foo rescue 1") == "(begin (call . foo) (rescue [] 1))")
        #expect(try sexp("x = foo rescue 1") == "(= x (begin (call . foo) (rescue [] 1)))")
    }

    @Test func raiseIsACall() throws {
        #expect(try sexp("raise \"boom\"") == "(call . raise \"boom\")")
        #expect(try sexp("raise ArgumentError, \"x\"") == "(call . raise ArgumentError \"x\")")
    }

    @Test func misplacedClausesAreErrors() {
        #expect(syntaxError("begin; else; end") == "t.rb:1:8: 'else' without 'rescue' is not allowed")
        #expect(syntaxError("rescue") == "t.rb:1:1: unexpected 'rescue'")
        #expect(syntaxError("begin\nrescue => 1\nend") == "t.rb:2:11: unexpected integer literal; expected a local variable name after '=>'")
    }
}
