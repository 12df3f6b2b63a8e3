import Testing
import GuestSyntax

/// Operators bind as in Ruby (checked against `ruby --dump=parsetree`).
@Suite struct PrecedenceTests {
    @Test func multiplicativeBindsTighterThanAdditiveAndBothAreLeftAssociative() throws {
        #expect(try sexp("1 + 2 * 3 - 4 / 5 % 6") == "(call (call 1 + (call 2 * 3)) - (call (call 4 / 5) % 6))")
        #expect(try sexp("1 - 2 - 3") == "(call (call 1 - 2) - 3)")
    }

    @Test func shiftBindsLooserThanAdditionAndTighterThanComparison() throws {
        #expect(try sexp("a = []; a << 1 + 2") == "(= a []); (call a << (call 1 + 2))")
        #expect(try sexp("1 < 2 << 3") == "(call 1 < (call 2 << 3))")
    }

    @Test func comparisonBindsTighterThanEqualityWhichBindsTighterThanLogic() throws {
        #expect(try sexp("1 < 2 == 3 >= 4") == "(call (call 1 < 2) == (call 3 >= 4))")
        #expect(try sexp("1 == 2 && 3 != 4 || 5 <= 6") == "(|| (&& (call 1 == 2) (call 3 != 4)) (call 5 <= 6))")
    }

    @Test func equalityOperatorsDoNotChainButComparisonsDo() throws {
        #expect(syntaxError("1 == 2 == 3") == "t.rb:1:8: unexpected '=='")
        #expect(syntaxError("1 != 2 <=> 3") == "t.rb:1:8: unexpected '<=>'")
        #expect(try sexp("1 == 2 && 3 == 4") == "(&& (call 1 == 2) (call 3 == 4))")
        #expect(try sexp("1 < 2 < 3") == "(call (call 1 < 2) < 3)")
        #expect(try sexp("1 == (2 == 3)") == "(call 1 == (call 2 == 3))")
    }

    @Test func andAndBindsTighterThanOrOr() throws {
        #expect(try sexp("1 || 2 && 3") == "(|| 1 (&& 2 3))")
    }

    @Test func bangBindsTighterThanEquality() throws {
        #expect(try sexp("!1 == 2") == "(call (! 1) == 2)")
        #expect(try sexp("!!true") == "(! (! true))")
    }

    @Test func unaryMinusBindsTighterThanMultiplicationAndAppliesToMethodCalls() throws {
        #expect(try sexp("x = 1; -x * 2") == "(= x 1); (call (call x -@) * 2)")
        #expect(try sexp("x = 1; -x.abs") == "(= x 1); (call (call x abs) -@)")
    }

    @Test func negativeLiteralIsOneTokenSoMethodsApplyToIt() throws {
        #expect(try sexp("-2.abs") == "(call -2 abs)")
        #expect(try sexp("3 - -2") == "(call 3 - -2)")
        #expect(try sexp("-9223372036854775808") == "-9223372036854775808")
    }

    @Test func keywordLogicBindsLooserThanAssignmentAndNotBindsTighterThanAnd() throws {
        #expect(try sexp("a = 1 and 2") == "(&& (= a 1) 2)")
        #expect(try sexp("not 1 and 2 or 3") == "(|| (&& (! 1) 2) 3)")
        #expect(try sexp("1 or 2 and 3") == "(&& (|| 1 2) 3)")
        #expect(try sexp("not (nil) || 3") == "(! (|| nil 3))")
        #expect(try sexp("not(nil) || 3") == "(|| (! nil) 3)")
    }

    @Test func ternaryIsRightAssociativeAndLooserThanOrOr() throws {
        #expect(try sexp("1 ? 2 : 3 ? 4 : 5") == "(if 1 2 (if 3 4 5))")
        #expect(try sexp("1 || 2 ? 3 : 4") == "(if (|| 1 2) 3 4)")
        #expect(try sexp("x = 1 ? 2 : 3") == "(= x (if 1 2 3))")
    }

    @Test func assignmentIsRightAssociativeAndMayBeAnOperand() throws {
        #expect(try sexp("a = b = 3") == "(= a (= b 3))")
        #expect(try sexp("a = 1 || b = 2") == "(= a (|| 1 (= b 2)))")
    }

    @Test func modifiersBindLoosestAndChainLeftToRight() throws {
        #expect(try sexp("x = 1 if 2") == "(if 2 (= x 1) _)")
        #expect(try sexp("1 unless 2") == "(if 2 _ 1)")
        #expect(try sexp("1 if 2 while 3") == "(while 3 (if 2 1 _))")
        #expect(try sexp("1 until 2") == "(while (! 2) 1)")
        #expect(try sexp("a = 1 and 2 if 3") == "(if 3 (&& (= a 1) 2) _)")
    }

    @Test func operatorAtLineEndContinuesTheExpression() throws {
        #expect(try sexp("1 +\n2") == "(call 1 + 2)")
        #expect(try sexp("1 &&\n\n 2") == "(&& 1 2)")
        #expect(try sexp("x =\n 5") == "(= x 5)")
        #expect(try sexp("1 ?\n 2 :\n 3") == "(if 1 2 3)")
        #expect(try sexp("1\n+2") == "1; 2")
    }
}
