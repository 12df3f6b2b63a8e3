/// Integer overflow cases for jitstack-only programs: the subset raises a rescuable "integer overflow"
/// where Ruby would promote to Bignum, so these are compared between jitstack configurations only.
/// Several run in loops and methods, so compiled arithmetic reaches its overflow checks.
extension ProgramGenerator {
    static let int64Max = "9223372036854775807"

    mutating func overflowCase() -> [String] {
        let v = freshName("big"), k = freshName("w")
        switch rng.below(5) {
        case 0:
            // A method that overflows after a number of calls, called from a loop.
            let grow = freshName("grow")
            let body = rng.pick(["x * \(rng.int(in: 2...9))", "x + x", "x - (-x)", "x * (-\(rng.int(in: 2...5)))"])
            return [
                "def \(grow)(x)", "  \(body)", "end",
                "\(v) = \(rng.int(in: 1...1000))", "\(k) = 0",
                "begin",
                "  while \(k) < 200",
                "    \(v) = \(grow)(\(v))",
                "    \(k) += 1",
                "  end",
                "rescue => e",
                "  puts \"overflow after #{\(k)}: #{e.message}\"",
                "end",
                "p(\(v))",
            ]
        case 1:
            // `+=` walking up to the limit, one rescue per step.
            let i = freshName("v")
            return [
                "\(v) = \(Self.int64Max) - \(rng.int(in: 0...40))",
                "\(rng.int(in: 5...15)).times do |\(i)|",
                "  begin",
                "    \(v) += \(i)",
                "    puts \"now #{\(v)}\"",
                "  rescue => e",
                "    puts \"step #{\(i)}: #{e.message}\"",
                "  end",
                "end",
            ]
        case 2:
            let expression = rng.pick([
                "\(rng.int(in: 3_037_000_500...4_000_000_000)) * \(rng.int(in: 3_037_000_500...4_000_000_000))",
                "-(-\(Self.int64Max) - 1)",
                "(-\(Self.int64Max) - 1) / -1",
                "(-\(Self.int64Max) - 1) - \(rng.int(in: 1...100))",
                "\(Self.int64Max) + \(rng.int(in: 1...100))",
            ])
            return ["begin", "  p(\(expression))", "rescue => e", "  puts \"overflow: #{e.message}\"", "end"]
        case 3:
            // Overflow inside a block, the exception leaving `times` early.
            let i = freshName("v")
            return [
                "\(v) = \(rng.int(in: 2...9))",
                "begin",
                "  70.times do |\(i)|",
                "    \(v) = \(v) * \(rng.int(in: 2...7))",
                "  end",
                "rescue => e",
                "  puts \"block overflow: #{e.message} at #{\(v)}\"",
                "end",
            ]
        default:
            // Boxed values near the limit survive arithmetic that does not overflow.
            return [
                "\(v) = \(Self.int64Max) - \(rng.int(in: 1000...100_000))",
                "p(\(v) + \(rng.int(in: 0...999)))",
                "p(\(v) / \(rng.int(in: 2...1000)))",
                "p(\(v) % \(rng.int(in: 2...1000)))",
                "p(-\(v))",
            ]
        }
    }

    /// Fiber statements for when `jitstack` runs fibers (issue 6): valid Ruby, off by default.
    mutating func fiberCase() -> [String] {
        let fiber = freshName("fiber"), k = freshName("v"), i = freshName("v")
        let count = rng.int(in: 1...5)
        var lines = [
            "\(fiber) = Fiber.new do |\(k)|",
            "  \(count).times { |\(i)| \(k) = Fiber.yield((\(k) + \(i)) % \(IntegerBounds.modulus)) }",
            "  \(k)",
            "end",
        ]
        for step in 0...count { lines.append("p(\(fiber).resume(\(step * rng.int(in: 1...9))))") }
        return lines
    }
}
