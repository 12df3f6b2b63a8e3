import Testing
import GuestSyntax

/// String, symbol and integer literals.
@Suite struct StringLiteralTests {
    @Test func doubleQuotedEscapes() throws {
        #expect(try sexp(##""a\nb\tc\\d\"e\ef\sg\0h\#i""##) == ##""a\nb\tc\\d\"e\x1Bf g\x0h#i""##)
        #expect(try sexp(##""\x41\101\u0042\u{43 44}\q""##) == ##""AABCDq""##)
    }

    @Test func singleQuotedStringsOnlyUnescapeQuoteAndBackslash() throws {
        #expect(try sexp(##"'a\'b\\c\nd#{e}'"##) == ##""a'b\\c\\nd#{e}""##)
    }

    @Test func interpolationSplitsTheStringIntoParts() throws {
        #expect(try sexp(##""a#{1}b#{2}""##) == ##"(dstr "a" 1 "b" 2)"##)
        #expect(try sexp(##""#{1}""##) == "(dstr 1)")
        #expect(try sexp(##""#{}""##) == "(dstr nil)")
    }

    @Test func interpolationNestsBracesAndStrings() throws {
        #expect(try sexp(##""x#{[1].map { |v| "#{v}!" }}y""##) ==
                ##"(dstr "x" (call [1] map {|v| (seq (dstr v "!"))}) "y")"##)
        #expect(try sexp(##""#{"}"}""##) == ##"(dstr "}")"##)
    }

    @Test func hashBeforeAnInstanceOrGlobalVariableInterpolatesIt() throws {
        #expect(try sexp(##""a#@x b#$y #@@ #$ #z""##) == ##"(dstr "a" @x " b" $y " #@@ #$ #z")"##)
        #expect(try sexp(##""#@x#@y""##) == "(dstr @x @y)")
    }

    @Test func escapedHashIsNotInterpolation() throws {
        #expect(try sexp(##""\#{x}""##) == ##""#{x}""##)
    }

    @Test func adjacentStringLiteralsConcatenate() throws {
        #expect(try sexp(##""a" 'b' "c#{1}""##) == ##"(dstr "abc" 1)"##)
    }

    @Test func stringsSpanLinesAndLocationsFollow() throws {
        #expect(try sexp("\"a\nb\"; c") == "\"a\\nb\"; (call . c)")
        #expect(syntaxError("\"a\nb\" +") == "t.rb:2:5: unexpected end of input; expected an expression")
    }

    @Test func symbolsIncludeOperatorAndSuffixedNames() throws {
        #expect(try sexp(":foo; :foo?; :foo!; :foo=; :Foo; :@iv; :$g") == ":foo; :foo?; :foo!; :foo=; :Foo; :@iv; :$g")
        #expect(try sexp(":+; :-; :*; :/; :%; :==; :!=; :<; :<=; :<<; :[]; :[]=; :!; :-@; :<=>") ==
                ":+; :-; :*; :/; :%; :==; :!=; :<; :<=; :<<; :[]; :[]=; :!; :-@; :<=>")
        #expect(try sexp(##":"with space""##) == ":with space")
    }

    @Test func colonAfterAValueIsTheTernaryColon() throws {
        #expect(try sexp("true ? 1 :x") == "(if true 1 (call . x))")
    }

    @Test func integersAcceptSeparatorsAndRadixPrefixes() throws {
        #expect(try sexp("1_000_000; 0x1F; 0b101; 0o17; 017; 0") == "1000000; 31; 5; 15; 15; 0")
        #expect(try sexp("9223372036854775807") == "9223372036854775807")
    }

    @Test func arraysAllowNewlinesAndTrailingComma() throws {
        #expect(try sexp("[1,\n 2,\n]") == "[1 2]")
        #expect(try sexp("[]") == "[]")
        #expect(try sexp("[[1], [2, [3]]]") == "[[1] [2 [3]]]")
    }

    @Test func variablesOfEveryKind() throws {
        #expect(try sexp("@a = $b = C = 1; @a; $b; C; $stdout; $0; $!") ==
                "(= @a (= $b (= C 1))); @a; $b; C; $stdout; $0; $!")
        #expect(try sexp("self; nil; true; false") == "self; nil; true; false")
    }
}
