import Testing
import GuestSyntax

/// The churn benchmark evals `"def test; 1; end"` 500,000 times: parsing it must stay cheap.
@Suite struct ParsePerformanceTests {
    @Test func evalStringParsesInMicroseconds() throws {
        let source = "def test; 1; end"
        let expected = "(def test () (seq 1))"
        #expect(try sexp(source) == expected)
        let clock = ContinuousClock()
        let iterations = 5_000
        var lines = 0
        let elapsed = try clock.measure {
            for _ in 0..<iterations { lines += try parseProgram(source, fileName: "(eval)").location.line }
        }
        #expect(lines == iterations)
        let perParse = elapsed / iterations
        // Release builds take ~3 µs; unoptimised test builds on a loaded machine ~50x that. The bound
        // only catches pathologies (a quadratic step, a sleep) without flaking under load.
        #expect(perParse < .milliseconds(2), "parse took \(perParse)")
    }
}
