import GuestVM
import Testing

@Suite struct ExceptionTests {
    @Test func rescueMatchesByClassAndHierarchy() throws {
        let out = try guestOutput("""
        def check
          yield
        rescue ZeroDivisionError => e
          "zero: #{e.message}"
        rescue NameError => e
          "name: #{e.class}"
        rescue => e
          "other: #{e.message}"
        end
        puts check { 1 / 0 }
        puts check { nil.nope }
        puts check { raise "x" }
        puts check { 1 + "a" }
        """)
        #expect(out == "zero: divided by 0\nname: NoMethodError\nother: x\nother: String can't be coerced into Integer\n")
    }

    @Test func ensureRunsOnNormalExitRaiseBreakAndReturn() throws {
        let out = try guestOutput("""
        def m(kind)
          begin
            return :returned if kind == 1
            raise "boom" if kind == 2
            :normal
          ensure
            puts "ensure #{kind}"
          end
        end
        p m(0)
        p m(1)
        begin
          m(2)
        rescue => e
          p e.message
        end
        r = [1, 2].each do |x|
          begin
            break :broke
          ensure
            puts "block ensure"
          end
        end
        p r
        i = 0
        while true
          begin
            i += 1
            break if i == 2
          ensure
            puts "loop ensure #{i}"
          end
        end
        """)
        #expect(out == """
        ensure 0
        :normal
        ensure 1
        :returned
        ensure 2
        "boom"
        block ensure
        :broke
        loop ensure 1
        loop ensure 2

        """)
    }

    @Test func returnFromNestedBlocksRunsTheMethodsEnsure() throws {
        let out = try guestOutput("""
        def find(rows)
          rows.each do |row|
            row.each { |v| return v if v > 2 }
          end
          :none
        ensure
          puts "ensure"
        end
        p find([[1, 2], [3]])
        p find([])
        """)
        #expect(out == "ensure\n3\nensure\n:none\n")
    }

    @Test func uncaughtExceptionsReportMessageClassAndBacktrace() throws {
        let h = GuestHarness()
        let report = try h.run("""
        def inner
          raise ArgumentError, "bad"
        end
        def outer
          [1].each { inner }
        end
        outer
        """, fileName: "bt.rb")
        #expect(report == """
        bt.rb:2:in `inner': bad (ArgumentError)
        \tfrom bt.rb:5:in `block in outer'
        \tfrom bt.rb:5:in `each'
        \tfrom bt.rb:5:in `outer'
        \tfrom bt.rb:7:in `<main>'

        """)
    }

    /// The errors the dispatch loop raises itself (built out of line, see `Interpreter+ErrorValues.swift`),
    /// with Ruby 3.1's classes and messages (its error_highlight lines aside).
    @Test func dispatchLoopErrorsUseRubysMessages() throws {
        let out = try guestOutput("""
        class Foo
          def self.f; Bar; end
        end
        begin; Foo.f; rescue NameError => e; puts e.class, e.message; end
        begin; Foo::Nope; rescue NameError => e; puts e.class, e.message; end
        begin; Nope; rescue NameError => e; puts e.class, e.message; end
        X = 1
        begin; X::Y; rescue TypeError => e; puts e.class, e.message; end
        begin; begin; raise "x"; rescue 1; end; rescue TypeError => e; puts e.class, e.message; end
        class Integer
          def mk; def self.z; end; end
        end
        begin; 1.mk; rescue TypeError => e; puts e.class, e.message; end
        """)
        #expect(out == """
        NameError
        uninitialized constant Foo::Bar
        NameError
        uninitialized constant Foo::Nope
        NameError
        uninitialized constant Nope
        TypeError
        1 is not a class/module
        TypeError
        class or module required for rescue clause
        TypeError
        can't define singleton

        """)
    }

    @Test func vmErrorsUseRubysMessages() throws {
        let out2 = try guestOutput("""
        def one(a); end
        begin; one; rescue ArgumentError => e; puts e.message; end
        begin; nil.foo; rescue NoMethodError => e; puts e.message; end
        begin; undefined_thing; rescue NameError => e; puts e.message; end
        begin; Missing; rescue NameError => e; puts e.message; end
        begin; "a" + 1; rescue TypeError => e; puts e.message; end
        def y; yield; end
        begin; y; rescue LocalJumpError => e; puts e.message; end
        """)
        #expect(out2 == """
        wrong number of arguments (given 0, expected 1)
        undefined method `foo' for nil:NilClass
        undefined local variable or method `undefined_thing' for main:Object
        uninitialized constant Missing
        no implicit conversion of Integer into String
        no block given (yield)

        """)
    }

    @Test func userExceptionClassesCarryTheirMessage() throws {
        let out = try guestOutput("""
        class MyError < StandardError; end
        begin
          raise MyError, "mine"
        rescue StandardError => e
          p e.class, e.message, e.is_a?(StandardError)
        end
        begin
          raise MyError
        rescue MyError => e
          p e.message
        end
        """)
        #expect(out == "MyError\n\"mine\"\ntrue\n\"MyError\"\n")
    }
}
