import GuestVM
import Testing

/// Records method-table changes the way the JIT subscribes to them.
final class ChangeRecorder: MethodChangeObserver {
    var changes: [String] = []
    func methodChanged(in klass: RClass, name: String, nameID: Int) {
        changes.append("\(klass.name)#\(name)")
    }
}

@Suite struct MethodCacheTests {
    @Test func redefinitionIsSeenByAWarmCallSite() throws {
        let out = try guestOutput("""
        def value; 1; end
        results = []
        6.times do |i|
          results << value
          eval("def value; #{i + 2}; end") if i == 2
        end
        p results
        """)
        #expect(out == "[1, 1, 1, 4, 4, 4]\n")
    }

    @Test func removalRevealsTheSuperclassMethodAtAWarmCallSite() throws {
        let out = try guestOutput("""
        class Base; def who; :base; end; end
        class Derived < Base; def who; :derived; end; end
        d = Derived.new
        seen = []
        4.times do |i|
          seen << d.who
          Derived.remove_method(:who) if i == 1
        end
        p seen
        """)
        #expect(out == "[:derived, :derived, :base, :base]\n")
    }

    @Test func observersHearDefinitionRedefinitionAndRemoval() throws {
        let h = GuestHarness()
        let recorder = ChangeRecorder()
        h.vm.addMethodObserver(recorder)
        let serial = h.vm.methodSerial
        try h.run("""
        class Foo
          def bar; 1; end
          def bar; 2; end
          remove_method(:bar)
        end
        def top_level; end
        """)
        #expect(recorder.changes == ["Foo#bar", "Foo#bar", "Foo#bar", "Object#top_level"])
        #expect(h.vm.methodSerial == serial + 4)
    }

    @Test func redefiningAnIntegerOperatorDisablesItsFastPath() throws {
        let h = GuestHarness()
        #expect(h.vm.basicOperationsMask == 1)
        let out = try h.output(of: """
        def add(a, b); a + b; end
        p add(1, 1)
        class Integer
          def +(other); 42; end
        end
        p add(1, 1), [1, 2].size
        """)
        #expect(out == "2\n42\n2\n")
        #expect(h.vm.basicOperationsMask == 0)
    }

    @Test func aMethodRemovingItselfKeepsRunning() throws {
        let out = try guestOutput("""
        class Foo
          def adversary
            ::Foo.remove_method(:adversary)
            :still_running
          end
        end
        f = Foo.new
        p f.adversary
        begin
          f.adversary
        rescue NoMethodError => e
          puts "removed"
        end
        """)
        #expect(out == ":still_running\nremoved\n")
    }
}
