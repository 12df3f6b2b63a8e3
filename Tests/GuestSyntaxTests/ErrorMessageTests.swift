import Testing
import GuestSyntax

/// Every failure names the file, the exact `line:col` (1-based, byte columns) and what went wrong.
@Suite struct ErrorMessageTests {
    @Test func descriptionIsFileLineColumnMessage() throws {
        let error = try #require(throws: SyntaxError.self) { try parseProgram("x = 1\n  )", fileName: "prog.rb") }
        #expect(error.fileName == "prog.rb")
        #expect(error.location == SourceLocation(line: 2, column: 3))
        #expect(error.message == "unexpected ')'")
        #expect(error.description == "prog.rb:2:3: unexpected ')'")
    }

    @Test func unterminatedConstructsNameTheirOpening() {
        #expect(syntaxError("def foo\n 1\n") == "t.rb:3:1: unterminated 'def' (opened at 1:1): expected 'end' before end of input")
        #expect(syntaxError("x = 1\nif x\n  y") == "t.rb:3:4: unterminated 'if' (opened at 2:1): expected 'end' before end of input")
        #expect(syntaxError("class A\n") == "t.rb:2:1: unterminated 'class' (opened at 1:1): expected 'end' before end of input")
        #expect(syntaxError("[1].each do |x|") == "t.rb:1:16: unterminated 'do' (opened at 1:10): expected 'end' before end of input")
        #expect(syntaxError("foo {") == "t.rb:1:6: unterminated '{' (opened at 1:5): expected '}' before end of input")
        #expect(syntaxError("(1") == "t.rb:1:3: unterminated '(' (opened at 1:1): expected ')' before end of input")
        #expect(syntaxError("[1, 2") == "t.rb:1:6: unterminated '[' (opened at 1:1): expected ']' before end of input")
        #expect(syntaxError("foo(1,\n") == "t.rb:2:1: unterminated '(' (opened at 1:4): expected ')' before end of input")
        #expect(syntaxError("while true\n") == "t.rb:2:1: unterminated 'while' (opened at 1:1): expected 'end' before end of input")
        #expect(syntaxError("begin\n  x\nrescue\n") == "t.rb:4:1: unterminated 'begin' (opened at 1:1): expected 'end' before end of input")
        #expect(syntaxError("foo { |a") == "t.rb:1:9: unterminated block parameters (opened at 1:7): expected '|' before end of input")
        #expect(syntaxError("def f(a,") == "t.rb:1:9: unterminated parameter list (opened at 1:6): expected ')' before end of input")
    }

    @Test func unterminatedStringsAndCommentsPointAtTheirStart() {
        #expect(syntaxError("x = \"abc") == "t.rb:1:5: unterminated string meets end of file (string started at 1:5)")
        #expect(syntaxError("x = 'abc\n") == "t.rb:1:5: unterminated string meets end of file (string started at 1:5)")
        #expect(syntaxError("p \"a#{1 + 2") == "t.rb:1:3: unterminated string meets end of file (string started at 1:3)")
        #expect(syntaxError("p \"a#{1 + 2}") == "t.rb:1:3: unterminated string meets end of file (string started at 1:3)")
        #expect(syntaxError("1\n=begin\nno end") == "t.rb:2:1: embedded document meets end of file (=begin at 2:1)")
        #expect(syntaxError("\"#{foo(}\"") == "t.rb:1:8: unexpected '}'; expected an expression")
    }

    @Test func mismatchedClosersSayWhatWasExpected() {
        #expect(syntaxError("foo(1]") == "t.rb:1:6: unexpected ']'; expected ',' or ')' to close '(' at 1:4")
        #expect(syntaxError("if x\n 1\n}") == "t.rb:3:1: unexpected '}'; expected 'end' to close 'if' at 1:1")
        #expect(syntaxError("end") == "t.rb:1:1: unexpected 'end'")
        #expect(syntaxError("x = 1 2") == "t.rb:1:7: unexpected integer literal; expected newline or ';' after statement")
        #expect(syntaxError("1 +\n") == "t.rb:2:1: unexpected end of input; expected an expression")
        #expect(syntaxError("a.") == "t.rb:1:3: unexpected end of input; expected a method name after '.'")
        #expect(syntaxError("x ? 1") == "t.rb:1:6: unexpected end of input; expected ':' in conditional expression")
        #expect(syntaxError("if @x 1 end") == "t.rb:1:7: unexpected integer literal; expected 'then' or newline after 'if' condition")
        #expect(syntaxError("while @x 1 end") == "t.rb:1:10: unexpected integer literal; expected 'do' or newline after 'while' condition")
    }

    @Test func badLiteralsAreReportedWhereTheyStart() {
        #expect(syntaxError("x = 9223372036854775808") == "t.rb:1:5: integer literal out of range")
        #expect(syntaxError("x = -9223372036854775809") == "t.rb:1:5: integer literal out of range")
        #expect(syntaxError("99999999999999999999999") == "t.rb:1:1: integer literal out of range")
        #expect(syntaxError("1__0") == "t.rb:1:3: trailing '_' in number")
        #expect(syntaxError("10_") == "t.rb:1:3: trailing '_' in number")
        #expect(syntaxError("0x") == "t.rb:1:1: numeric literal without digits")
        #expect(syntaxError("09") == "t.rb:1:2: invalid octal digit")
        #expect(syntaxError("1.5") == "t.rb:1:1: floating-point literals are not supported")
        #expect(syntaxError("12abc") == "t.rb:1:3: invalid character 'a' in number")
        #expect(syntaxError("\"\\u{110000}\"") == "t.rb:1:2: invalid Unicode escape")
        #expect(syntaxError("\"\\xZZ\"") == "t.rb:1:2: invalid hex escape")
    }

    @Test func unknownCharactersAreErrors() {
        #expect(syntaxError("x = 1\n  \u{1}") == "t.rb:2:3: unexpected character '\\x01'")
        #expect(syntaxError("a \\ b") == "t.rb:1:3: unexpected backslash")
        #expect(syntaxError("x\0") == "t.rb:1:2: unexpected character '\\x00'")
        #expect(syntaxError("@") == "t.rb:1:1: '@' must be followed by an instance variable name")
        #expect(syntaxError("$") == "t.rb:1:1: '$' must be followed by a global variable name")
    }

    @Test func unsupportedRubyIsNamed() {
        #expect(syntaxError("case x\nwhen 1\nend") == "t.rb:1:1: unsupported syntax: 'case'")
        #expect(syntaxError("x ||= 1") == "t.rb:1:3: unsupported syntax: operator assignment '||=' (only += and -=)")
        #expect(syntaxError("h = {}") == "t.rb:1:5: unsupported syntax: hash literals")
        #expect(syntaxError("@@count") == "t.rb:1:1: class variables (@@) are not supported")
        #expect(syntaxError("f = ->(x) { x }") == "t.rb:1:5: unsupported syntax: lambda literals (->)")
        #expect(syntaxError("(1..2)") == "t.rb:1:3: unsupported syntax: ranges (..)")
        #expect(syntaxError("x = 2 ** 3") == "t.rb:1:7: unsupported syntax: the '**' operator")
        #expect(syntaxError("super") == "t.rb:1:1: unsupported syntax: 'super'")
        #expect(syntaxError("puts <<~EOS\n  x\nEOS") == "t.rb:1:6: unsupported syntax: heredocs")
        #expect(syntaxError("a = %w[x y]") == "t.rb:1:5: unsupported syntax: percent literals")
        #expect(syntaxError("puts *list") == "t.rb:1:6: unsupported syntax: splat arguments (*)")
        #expect(syntaxError("foo(1, *list)") == "t.rb:1:8: unsupported syntax: splat arguments (*)")
        #expect(syntaxError("\"#@@v\"") == "t.rb:1:3: class variables (@@) are not supported")
    }

    @Test func columnsCountBytesAndLinesCountEveryNewline() {
        #expect(syntaxError("# comment\n'multi\nline' )") == "t.rb:3:7: unexpected ')'")
        #expect(syntaxError("\"é\" )") == "t.rb:1:6: unexpected ')'")
        #expect(syntaxError("x = 1 \\\n  )") == "t.rb:2:3: unexpected ')'")
        #expect(syntaxError("\r\n)") == "t.rb:2:1: unexpected ')'")
    }
}
