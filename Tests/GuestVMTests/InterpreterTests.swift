import GuestVM
import Testing

@Suite struct InterpreterTests {
    @Test func recursiveMethodsComputeFibonacci() throws {
        let out = try guestOutput("""
        def fib(n)
          n < 2 ? n : fib(n - 1) + fib(n - 2)
        end
        puts fib(20)
        """)
        #expect(out == "6765\n")
    }

    @Test func integerDivisionAndModuloFloorLikeRuby() throws {
        #expect(try guestOutput("p(-7 / 2, -7 % 2, 7 / -2, 7 % -2, -7 / -2)") == "-4\n1\n-4\n-1\n3\n")
    }

    @Test func blocksCaptureAndUpdateOuterLocals() throws {
        let out = try guestOutput("""
        total = 0
        [1, 2, 3].each { |x| total += x }
        3.times do |i|
          [10].each { |y| total += y * i }
        end
        p total
        """)
        #expect(out == "36\n")
    }

    @Test func breakOutOfABlockReturnsItsValueFromTheCall() throws {
        let out = try guestOutput("""
        r = [1, 2, 3, 4].each { |x| break x * 100 if x == 3 }
        p r
        p(loop do
          break 7
        end)
        p [1, 2].each { |x| x }
        """)
        #expect(out == "300\n7\n[1, 2]\n")
    }

    @Test func nextInABlockSkipsToTheNextYield() throws {
        let out = try guestOutput("p [1, 2, 3, 4].map { |x| next 0 if x.even?\n x }")
        #expect(out == "[1, 0, 3, 0]\n")
    }

    @Test func returnInsideABlockReturnsFromTheEnclosingMethod() throws {
        let out = try guestOutput("""
        def first_even(list)
          list.each { |x| return x if x.even? }
          nil
        end
        p first_even([1, 3, 4, 5])
        p first_even([1])
        """)
        #expect(out == "4\nnil\n")
    }

    @Test func whileLoopsBreakWithValuesAndNext() throws {
        let out = try guestOutput("""
        i = 0
        odd = 0
        r = while i < 10
          i += 1
          next if i.even?
          odd += 1
          break i * 2 if i == 7
        end
        p r, odd
        """)
        #expect(out == "14\n4\n")
    }

    @Test func classesInheritReopenAndUseInstanceVariables() throws {
        let out = try guestOutput("""
        class Animal
          def initialize(name)
            @name = name
          end
          def describe
            "#{@name} says #{sound}"
          end
        end
        class Dog < Animal
          def sound; "woof"; end
        end
        class Animal
          def sound; "..."; end
        end
        puts Dog.new("Rex").describe
        puts Animal.new("Generic").describe
        p Dog.new("x").is_a?(Animal), Dog.superclass
        """)
        #expect(out == "Rex says woof\nGeneric says ...\ntrue\nAnimal\n")
    }

    @Test func singletonMethodsAndNestedConstants() throws {
        let out = try guestOutput("""
        class Outer
          LIMIT = 3
          class Inner
            def self.limit
              LIMIT * 2
            end
          end
        end
        p Outer::Inner.limit, Outer::LIMIT, ::Outer::LIMIT
        """)
        #expect(out == "6\n3\n3\n")
    }

    @Test func yieldAdaptsArgumentsToBlockParameters() throws {
        let out = try guestOutput("""
        def two; yield(1, 2); end
        def pair; yield([3, 4]); end
        two { |a| p a }
        two { |a, b, c| p [a, b, c] }
        pair { |a, b| p [a, b] }
        pair { |a| p a }
        def given?; block_given?; end
        p given?, given? { }
        """)
        #expect(out == "1\n[1, 2, nil]\n[3, 4]\n[3, 4]\nfalse\ntrue\n")
    }

    @Test func putsPrintAndPFormatLikeRuby() throws {
        let out = try guestOutput("""
        puts [1, [2, [nil]]]
        puts nil
        print "a", 1, nil, :s, "\\n"
        p "tab\\t\\"q\\"", :sym, [1, "x", nil, true], :"with space"
        x = p
        p x
        """)
        #expect(out == "1\n2\n\n\na1s\n\"tab\\t\\\"q\\\"\"\n:sym\n[1, \"x\", nil, true]\n:\"with space\"\nnil\n")
    }

    @Test func arraysCompareByElementsAndRecursiveArraysPrintAsEllipsis() throws {
        let out = try guestOutput("""
        a = [1, 2]
        a << a
        p a
        puts a
        p [1, [2, "x"]] == [1, [2, "x"]], [1] == [2], [3, 1, 2].sort, [1, 2, 3].inject { |s, x| s + x }
        p [1, 2, 3].any? { |x| x > 2 }, [1, 2].all? { |x| x > 1 }, [[1, [2]], 3].flatten, [1, 1, 2].uniq
        """)
        #expect(out == "[1, 2, [...]]\n1\n2\n[...]\ntrue\nfalse\n[1, 2, 3]\n6\ntrue\nfalse\n[1, 2, 3]\n[1, 2]\n")
    }

    @Test func deeplyNestedArraysRaiseSystemStackErrorInsteadOfCrashing() throws {
        let out = try guestOutput("""
        b = []
        200000.times { b = [b] }
        begin
          p b
        rescue SystemStackError => e
          puts e.message
        end
        """)
        #expect(out == "stack level too deep\n")
    }

    @Test func attributeAssignmentAndIndexedOperatorAssignment() throws {
        let out = try guestOutput("""
        class Box
          attr_accessor :v
        end
        b = Box.new
        b.v = 5
        b.v += 2
        a = [1, 2]
        a[1] += 10
        p b.v, a, (a[0] = 9)
        """)
        #expect(out == "7\n[9, 12]\n9\n")
    }

    @Test func evalDefinesMethodsAndClassesAtTopLevel() throws {
        let out = try guestOutput("""
        eval("def from_eval; 41 + 1; end")
        eval("class Made; def hi; :hi; end; end", TOPLEVEL_BINDING)
        p from_eval, Made.new.hi, eval("1 + 2")
        """)
        #expect(out == "42\n:hi\n3\n")
    }

    @Test func syntaxErrorsInEvalAreScriptErrorsNotStandardErrors() throws {
        let out = try guestOutput("""
        begin
          begin
            eval("1 +")
          rescue => e
            puts "standard"
          end
        rescue SyntaxError => e
          puts "syntax: #{e.class}"
        end
        """)
        #expect(out == "syntax: SyntaxError\n")
    }
}
