import GuestVM
import Testing

/// Cfuncs written in C (Tests/CTestFixtures/guest_cfuncs.c) raising and breaking through their own
/// C frames: every unwind goes through the VM's protect point.
@Suite struct CFunctionTests {
    @Test func cfuncWrittenInCIsCalledLikeAnyMethod() throws {
        let h = GuestHarness()
        h.installCFixtures()
        #expect(try h.output(of: "p c_add(40, 2)") == "42\n")
    }

    @Test func raiseInsideACFunctionReachesTheGuestRescue() throws {
        let h = GuestHarness()
        h.installCFixtures()
        let out = try h.output(of: """
        def wrapper
          c_raise
          :not_reached
        end
        begin
          wrapper
        rescue ArgumentError => e
          puts "rescued: #{e.message}"
        end
        p c_add(1, 2)
        """)
        #expect(out == "rescued: raised from C\n3\n")
    }

    @Test func guestCodeCalledBackFromCRaisesThroughTheCFrames() throws {
        let h = GuestHarness()
        h.installCFixtures()
        let out = try h.output(of: """
        def callback(x)
          raise "callback failed at #{x}" if x > 2
          x + 1
        end
        p c_call_back(1)
        begin
          c_call_back(5)
        rescue => e
          puts e.message
        end
        p c_call_back(2)
        """)
        #expect(out == "4\ncallback failed at 5\n6\n")
    }

    @Test func breakOutOfABlockYieldedFromCSkipsTheCFrames() throws {
        let h = GuestHarness()
        h.installCFixtures()
        let out = try h.output(of: """
        p c_each_up_to(4) { |i| i * 10 }
        r = c_each_up_to(100) do |i|
          break "stopped at #{i}" if i == 3
          i
        end
        p r
        def inner_user
          c_each_up_to(10) { |i| return i * 7 if i == 2 }
          :not_reached
        end
        p inner_user
        p c_each_up_to(2) { |i| i }
        """)
        #expect(out == "100\n\"stopped at 3\"\n14\n3\n")
    }

    @Test func cCanEvalAndRemoveMethods() throws {
        let h = GuestHarness()
        h.installCFixtures()
        let out = try h.output(of: """
        c_eval("def made_in_c; :made; end")
        p made_in_c
        class Victim
          def go; :here; end
        end
        p Victim.new.go
        p c_remove_method(Victim, "go")
        begin
          Victim.new.go
        rescue NoMethodError => e
          puts "gone"
        end
        begin
          c_remove_method(Victim, "go")
        rescue NameError => e
          puts e.message
        end
        begin
          c_eval("1 +")
        rescue SyntaxError => e
          puts "syntax error from C eval"
        end
        """)
        #expect(out == ":made\n:here\ntrue\ngone\nmethod `go' not defined in Victim\nsyntax error from C eval\n")
    }

    @Test func cfuncArityIsCheckedBeforeTheCall() throws {
        let h = GuestHarness()
        h.installCFixtures()
        let out = try h.output(of: "begin\n  c_add(1)\nrescue ArgumentError => e\n  puts e.message\nend")
        #expect(out == "wrong number of arguments (given 1, expected 2)\n")
    }

    @Test func runawayRecursionThroughCFramesRaisesSystemStackError() throws {
        let h = GuestHarness()
        h.installCFixtures()
        let out = try h.output(of: """
        def recurse
          c_recurse
        end
        begin
          recurse
        rescue SystemStackError => e
          puts e.message
        end
        p c_add(2, 3)
        """)
        #expect(out == "stack level too deep\n5\n")
    }
}
