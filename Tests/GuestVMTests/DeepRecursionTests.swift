import GuestVM
import Testing

/// Guest-to-guest calls never recurse natively, so depth is bounded only by the VM stacks.
@Suite struct DeepRecursionTests {
    static let program = """
    def down(n)
      n == 0 ? 0 : 1 + down(n - 1)
    end

    """

    @Test(arguments: [10_000, 100_000])
    func deepGuestRecursionCompletes(depth: Int) throws {
        #expect(try guestOutput(Self.program + "p down(\(depth))") == "\(depth)\n")
    }

    @Test func millionLevelsRaiseARescuableSystemStackError() throws {
        let out = try guestOutput(Self.program + """
        begin
          down(1_000_000)
        rescue SystemStackError => e
          puts "#{e.class}: #{e.message}"
        end
        p down(10)
        """)
        #expect(out == "SystemStackError: stack level too deep\n10\n")
    }

    @Test func systemStackErrorIsNotAStandardError() throws {
        let h = GuestHarness()
        let report = try h.run(Self.program + """
        begin
          down(1_000_000)
        rescue => e
          puts "wrongly rescued"
        end
        """)
        #expect(h.output == "")
        #expect(report?.contains("stack level too deep (SystemStackError)") == true)
        #expect(report?.contains("levels...") == true)
    }

    @Test func deepRecursionThroughBlocks() throws {
        let out = try guestOutput("""
        def walk(n)
          return 0 if n == 0
          r = 0
          [n].each { |x| r = 1 + walk(x - 1) }
          r
        end
        p walk(20_000)
        """)
        #expect(out == "20000\n")
    }
}
