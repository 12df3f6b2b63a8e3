import Testing
import GuestSyntax

/// `def`, `class` and `module`.
@Suite struct DefinitionTests {
    @Test func defWithAndWithoutParentheses() throws {
        #expect(try sexp("def f(a, b)\n a\nend") == "(def f (a b) (seq a))")
        #expect(try sexp("def f a, b\n b\nend") == "(def f (a b) (seq b))")
        #expect(try sexp("def f; end") == "(def f () (seq))")
        #expect(try sexp("def f() 1 end") == "(def f () (seq 1))")
        #expect(try sexp("def f(\n a,\n b\n)\nend") == "(def f (a b) (seq))")
    }

    @Test func singletonDefsOnSelfOrAConstant() throws {
        #expect(try sexp("def self.f(x) x end") == "(defs self f (x) (seq x))")
        #expect(try sexp("def Foo.f; end") == "(defs Foo f () (seq))")
    }

    @Test func operatorAndSetterMethodNames() throws {
        #expect(try sexp("def +(o); end") == "(def + (o) (seq))")
        #expect(try sexp("def ==(o); end") == "(def == (o) (seq))")
        #expect(try sexp("def [](i); end") == "(def [] (i) (seq))")
        #expect(try sexp("def []=(i, v); end") == "(def []= (i v) (seq))")
        #expect(try sexp("def name=(v); end") == "(def name= (v) (seq))")
        #expect(try sexp("def <=>(o); end; def <<(o); end; def -@; end; def !; end") ==
                "(def <=> (o) (seq)); (def << (o) (seq)); (def -@ () (seq)); (def ! () (seq))")
        #expect(try sexp("def alive?; end; def save!; end; def class; end") ==
                "(def alive? () (seq)); (def save! () (seq)); (def class () (seq))")
    }

    @Test func endlessDefinition() throws {
        #expect(try sexp("def one = 1") == "(def one () (seq 1))")
        #expect(try sexp("def sq(x) = x * x") == "(def sq (x) (seq (call x * x)))")
    }

    @Test func defBodyMayRescueAndEnsure() throws {
        #expect(try sexp("def f\n 1\nrescue\n 2\nensure\n 3\nend") ==
                "(def f () (begin (seq 1) (rescue [] (seq 2)) (ensure (seq 3))))")
    }

    @Test func classesWithSuperclassesAndScopedPaths() throws {
        #expect(try sexp("class A\nend") == "(class A _ (seq))")
        #expect(try sexp("class B < A; def x; end; end") == "(class B A (seq (def x () (seq))))")
        #expect(try sexp("class A::B < ::C\nend") == "(class A::B ::C (seq))")
        #expect(try sexp("class ::D; end") == "(class ::D _ (seq))")
    }

    @Test func modules() throws {
        #expect(try sexp("module M\n def self.f; end\nend") == "(module M (seq (defs self f () (seq))))")
        #expect(try sexp("module A::B; end") == "(module A::B (seq))")
    }

    @Test func classBodyCallsLikeRemoveMethod() throws {
        #expect(try sexp("class Foo\n  def adversary\n    ::Foo.remove_method(:adversary)\n  end\nend") ==
                "(class Foo _ (seq (def adversary () (seq (call ::Foo remove_method() :adversary)))))")
        #expect(try sexp("class A\n remove_method :x\nend") == "(class A _ (seq (call . remove_method :x)))")
    }

    @Test func definitionErrors() {
        #expect(syntaxError("class foo; end") == "t.rb:1:7: class name must be a constant")
        #expect(syntaxError("def f(a, a); end") == "t.rb:1:10: duplicated argument name 'a'")
        #expect(syntaxError("def f(a = 1); end") == "t.rb:1:9: unsupported syntax: default parameter values")
        #expect(syntaxError("class << self; end") == "t.rb:1:7: unsupported syntax: singleton class (class << obj)")
        #expect(syntaxError("def (x); end") == "t.rb:1:5: unexpected '('; expected a method name after 'def'")
    }
}
