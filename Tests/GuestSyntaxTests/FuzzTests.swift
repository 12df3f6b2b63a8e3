import Testing
import GuestSyntax
import TestSupport

/// Random bytes and random mutations of valid programs either parse or throw `SyntaxError`:
/// never a crash, never a hang.
@Suite struct FuzzTests {
    static let validPrograms = [
        """
        class Foo < Bar
          def initialize(a, b)
            @a = a; @b = b
          end

          def +(other) = Foo.new(@a + other.a, @b - 1)
          def [](i); i == 0 ? @a : @b; end
          def adversary
            ::Foo.remove_method(:adversary)
          end
        end
        """,
        """
        500_000.times do |i|
          eval("def test; 1; end", TOPLEVEL_BINDING)
          test()
        end
        x = [1, 2, 3]
        x.each { |v| puts "v=#{v + 1} #{"nested #{v}"}" }
        """,
        """
        def fib(n)
          return n if n < 2
          fib(n - 1) + fib(n - 2)
        end
        begin
          raise "boom" unless block_given?
        rescue ArgumentError, TypeError => e
          p e.message
        else
          puts 'ok\\'s'
        ensure
          $done = true
        end
        """,
        """
        i = 0
        while i < 10 do
          i += 1
          next if i % 2 == 0
          break i * 2 if i > 7
        end
        until i == 0; i -= 1; end
        loop do
          a = [i, -1, :sym, :foo?, :[]=, nil, true, self]
          a[0] += 1 and puts(a) or p -1
          break
        end
        =begin
        comment
        =end
        module M; class ::C; end; end
        """,
    ]

    static func check(_ source: String) -> (parsed: Bool, failure: String?) {
        do {
            _ = try parseProgram(source, fileName: "fuzz.rb")
            return (true, nil)
        } catch {
            // The description must be well formed: file:line:col: message.
            let prefix = "fuzz.rb:\(error.location.line):\(error.location.column): "
            if !error.description.hasPrefix(prefix) || error.message.isEmpty || error.location.line < 1 || error.location.column < 1 {
                return (false, "malformed error \(error.description)")
            }
            return (false, nil)
        }
    }

    @Test func validSamplesParse() {
        for program in Self.validPrograms {
            #expect(Self.check(program).parsed, "\(program)")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func randomByteStringsParseOrFailCleanly() {
        var random = SplitMix64(seed: 0x5EED)
        let alphabet = Array("()[]{}|,.:;?!=<>+-*/%&#@$\"'\\ \n\tabcXYZ_019enddoifdefclass#{}".utf8)
        let clock = ContinuousClock()
        let start = clock.now
        for round in 0..<4000 {
            let length = random.below(120)
            var bytes: [UInt8] = []
            for _ in 0..<length {
                bytes.append(random.below(3) == 0 ? UInt8(truncatingIfNeeded: random.next()) : alphabet[random.below(alphabet.count)])
            }
            let source = String(decoding: bytes, as: UTF8.self)
            let result = Self.check(source)
            if let failure = result.failure { Issue.record("round \(round): \(failure) for \(source.debugDescription)") }
        }
        #expect(clock.now - start < .seconds(60))
    }

    @Test(.timeLimit(.minutes(2)))
    func mutatedValidProgramsParseOrFailCleanly() {
        var random = SplitMix64(seed: 0xC0FFEE)
        let clock = ContinuousClock()
        let start = clock.now
        var parsedCount = 0
        for round in 0..<4000 {
            var bytes = Array(Self.validPrograms[random.below(Self.validPrograms.count)].utf8)
            for _ in 0...random.below(4) {
                let a = random.below(bytes.count)
                let b = min(bytes.count, a + 1 + random.below(12))
                switch random.below(4) {
                case 0: bytes.removeSubrange(a..<b)                               // deletion
                case 1: bytes.insert(contentsOf: bytes[a..<b], at: random.below(bytes.count))  // duplication
                case 2:                                                          // swap
                    let c = random.below(bytes.count)
                    bytes.swapAt(a, c)
                default: bytes[a] = UInt8(truncatingIfNeeded: random.next())     // byte flip
                }
                if bytes.isEmpty { break }
            }
            let source = String(decoding: bytes, as: UTF8.self)
            let result = Self.check(source)
            if result.parsed { parsedCount += 1 }
            if let failure = result.failure { Issue.record("round \(round): \(failure) for \(source.debugDescription)") }
        }
        // Both outcomes occur: the mutations are neither all fatal nor all harmless.
        #expect(parsedCount > 0 && parsedCount < 4000)
        #expect(clock.now - start < .seconds(60))
    }
}
