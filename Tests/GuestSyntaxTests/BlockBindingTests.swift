import Testing
import GuestSyntax

/// `{ }` binds to the nearest call, `do ... end` to the outermost command call (Ruby's rule).
@Suite struct BlockBindingTests {
    @Test func doBlockBindsToTheOutermostCommandCall() throws {
        #expect(try sexp("puts [1].map do |x| x end") == "(call . puts (call [1] map) {|x| (seq x)})")
        #expect(try sexp("foo bar do 1 end") == "(call . foo (call . bar) {|| (seq 1)})")
        #expect(try sexp("foo.each_slice 2 do |a| a end") == "(call (call . foo) each_slice 2 {|a| (seq a)})")
    }

    @Test func braceBlockBindsToTheNearestCall() throws {
        #expect(try sexp("puts [1].map { |x| x }") == "(call . puts (call [1] map {|x| (seq x)}))")
        #expect(try sexp("foo bar { 1 }") == "(call . foo (call . bar {|| (seq 1)}))")
    }

    @Test func doBlockAfterParenthesisedArgumentsOrNoArgumentsBindsToThatCall() throws {
        #expect(try sexp("foo(1) do 2 end") == "(call . foo() 1 {|| (seq 2)})")
        #expect(try sexp("loop do break end") == "(call . loop {|| (seq (break))})")
        #expect(try sexp("x = [1].each do |i| i end") == "(= x (call [1] each {|i| (seq i)}))")
    }

    @Test func doInsideParenthesesBindsToTheInnerCall() throws {
        #expect(try sexp("foo(bar do 1 end)") == "(call . foo() (call . bar {|| (seq 1)}))")
    }

    @Test func doAfterAWhileConditionBelongsToTheLoop() throws {
        #expect(try sexp("while foo do 1 end") == "(while (call . foo) (seq 1))")
        #expect(try sexp("until a.b 1 do 2 end") == "(while (! (call (call . a) b 1)) (seq 2))")
    }

    @Test func blocksChainAndTakeParameters() throws {
        #expect(try sexp("a.map { |x, y| x }.each do |z| z end") ==
                "(call (call (call . a) map {|x y| (seq x)}) each {|z| (seq z)})")
        #expect(try sexp("5.times { || 1 }") == "(call 5 times {|| (seq 1)})")
        #expect(try sexp("foo do\n |a|\n a\nend") == "(call . foo {|a| (seq a)})")
    }

    @Test func braceBlockAfterCommandArgumentsIsAnError() {
        #expect(syntaxError("foo 1 { 2 }") == "t.rb:1:7: unexpected '{'; expected newline or ';' after statement")
    }

    @Test func doBlockBodyMayRescue() throws {
        #expect(try sexp("foo do\n x\nrescue => e\n e\nend") ==
                "(call . foo {|| (begin (seq (call . x)) (rescue [] => e (seq e)))})")
    }
}
