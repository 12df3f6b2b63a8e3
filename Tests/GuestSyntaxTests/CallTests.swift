import Testing
import GuestSyntax

/// Calls with and without parentheses, receivers, and Ruby's whitespace rules for arguments.
@Suite struct CallTests {
    @Test func commandCallsTakeCommaSeparatedArguments() throws {
        #expect(try sexp("puts 1, 2") == "(call . puts 1 2)")
        #expect(try sexp("foo.bar baz") == "(call (call . foo) bar (call . baz))")
        #expect(try sexp("puts foo 1, 2") == "(call . puts (call . foo 1 2))")
    }

    @Test func parenthesisedCallsAreMarked() throws {
        #expect(try sexp("foo()") == "(call . foo())")
        #expect(try sexp("foo(1, 2)") == "(call . foo() 1 2)")
        #expect(try sexp("a.b(1).c") == "(call (call (call . a) b() 1) c)")
        #expect(try sexp("foo(\n1,\n2,\n)") == "(call . foo() 1 2)")
    }

    @Test func minusBeforeAnOperandIsAnArgumentOfACallButSubtractionFromALocal() throws {
        #expect(try sexp("p -1") == "(call . p -1)")
        #expect(try sexp("a = 1; a -1") == "(= a 1); (call a - 1)")
        #expect(try sexp("p - 1") == "(call (call . p) - 1)")
        #expect(try sexp("p-1") == "(call (call . p) - 1)")
        #expect(try sexp("foo.bar -x") == "(call (call . foo) bar (call (call . x) -@))")
        #expect(try sexp("a = 2; a *b") == "(= a 2); (call a * (call . b))")
        #expect(try sexp("foo * b") == "(call (call . foo) * (call . b))")
    }

    @Test func spacedBracketOrParenStartsAnArgumentOfACall() throws {
        #expect(try sexp("puts [1]") == "(call . puts [1])")
        #expect(try sexp("foo[1]") == "(call (call . foo) [] 1)")
        #expect(try sexp("a = []; a [1]") == "(= a []); (call a [] 1)")
        #expect(try sexp("puts (1 + 2) * 3") == "(call . puts (call (call 1 + 2) * 3))")
        #expect(try sexp("puts !x") == "(call . puts (! (call . x)))")
    }

    @Test func methodNamesMayEndInQuestionOrBangAndKeywordsAfterDotAreNames() throws {
        #expect(try sexp("block_given?") == "(call . block_given?)")
        #expect(try sexp("JIT.enabled?") == "(call JIT enabled?)")
        #expect(try sexp("JIT.stat(:x)") == "(call JIT stat() :x)")
        #expect(try sexp("a.save!") == "(call (call . a) save!)")
        #expect(try sexp("x = 1; x.class") == "(= x 1); (call x class)")
        #expect(try sexp("a!=b") == "(call (call . a) != (call . b))")
    }

    @Test func attributeAndIndexAssignmentsBecomeSetterCalls() throws {
        #expect(try sexp("obj.attr = 1") == "(attrasgn (call . obj) attr= 1)")
        #expect(try sexp("self.x = y = 2") == "(attrasgn self x= (= y 2))")
        #expect(try sexp("a[1] = 2") == "(attrasgn (call . a) []= 1 2)")
        #expect(try sexp("a[1, 2] = 3") == "(attrasgn (call . a) []= 1 2 3)")
        #expect(try sexp("obj.attr == 1") == "(call (call (call . obj) attr) == 1)")
    }

    @Test func operatorAssignmentTargetsTheReadFormOfThePlace() throws {
        #expect(try sexp("x += 1") == "(+= x 1)")
        #expect(try sexp("@x -= 1") == "(-= @x 1)")
        #expect(try sexp("$x += 1") == "(+= $x 1)")
        #expect(try sexp("a[i] += 2") == "(+= (call (call . a) [] (call . i)) 2)")
        #expect(try sexp("o.n -= 1") == "(-= (call (call . o) n) 1)")
    }

    @Test func scopedConstantsAndTopLevelConstants() throws {
        #expect(try sexp("A::B::C") == "A::B::C")
        #expect(try sexp("::Foo.remove_method(:adversary)") == "(call ::Foo remove_method() :adversary)")
        #expect(try sexp("Integer(1)") == "(call . Integer() 1)")
        #expect(try sexp("X = 1") == "(= X 1)")
    }

    @Test func yieldTakesArgumentsWithOrWithoutParentheses() throws {
        #expect(try sexp("def f; yield; end") == "(def f () (seq (yield)))")
        #expect(try sexp("def f; yield(1); end") == "(def f () (seq (yield 1)))")
        #expect(try sexp("def f; yield 1, 2; end") == "(def f () (seq (yield 1 2)))")
        #expect(try sexp("def f; puts yield; end") == "(def f () (seq (call . puts (yield))))")
        #expect(try sexp("def f; [1].each { |x| yield x }; end") == "(def f () (seq (call [1] each {|x| (seq (yield x))})))")
    }

    @Test func yieldOutsideAMethodParsesForTheCompilerToReject() throws {
        #expect(try sexp("yield 1") == "(yield 1)")
    }

    @Test func leadingDotContinuesAMethodChain() throws {
        #expect(try sexp("foo\n  .bar\n  .baz") == "(call (call (call . foo) bar) baz)")
    }

    @Test func evalStringsAndRemoveMethodAreOrdinaryCalls() throws {
        #expect(try sexp("eval(\"def test; 1; end\", TOPLEVEL_BINDING)") == "(call . eval() \"def test; 1; end\" TOPLEVEL_BINDING)")
        #expect(try sexp("remove_method(:name)") == "(call . remove_method() :name)")
        #expect(try sexp("raise \"msg\"") == "(call . raise \"msg\")")
    }
}
