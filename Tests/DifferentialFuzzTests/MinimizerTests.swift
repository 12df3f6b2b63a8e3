import Testing

/// Delta debugging keeps exactly what the failure needs.
@Suite struct MinimizerTests {
    @Test func keepsOnlyTheItemsTheFailureNeeds() {
        let items = Array(0..<40)
        let kept = Minimizer.minimize(items) { $0.contains(3) && $0.contains(29) }
        #expect(kept == [3, 29])
    }

    @Test func checksEveryCandidateWithThePredicate() {
        var calls = 0
        let kept = Minimizer.minimize(Array(0..<16)) { candidate in
            calls += 1
            return candidate.reduce(0, +) >= 30
        }
        #expect(kept.reduce(0, +) >= 30)
        // 1-minimal: dropping any one remaining item stops the failure.
        for index in kept.indices {
            var smaller = kept
            smaller.remove(at: index)
            #expect(smaller.reduce(0, +) < 30)
        }
        #expect(calls > 0)
    }

    @Test func minimizesProgramsOverStatementsThenLines() {
        let statements = ["a = 1", "def f\n  x = 2\n  puts x\nend", "p 3", "f"]
        let result = Minimizer.minimizeProgram(statements) { $0.contains("puts x") && $0.contains("p 3") }
        #expect(result == "  puts x\np 3\n")
    }

    @Test func removesAndUnwrapsIndentedBlocks() {
        let program = ["def f", "  puts 1", "end", "3.times do |i|", "  if i > 1", "    p i", "  end", "end", "x = 2"]
        // Plain lines are left to the line pass.
        let kept = Minimizer.minimizeBlocks(program) { $0.contains("    p i") }
        #expect(kept == ["    p i", "x = 2"])
        let keepsLoop = Minimizer.minimizeBlocks(program) { $0.contains("3.times do |i|") && $0.contains("end") }
        #expect(keepsLoop == ["3.times do |i|", "end", "x = 2"])
    }
}
