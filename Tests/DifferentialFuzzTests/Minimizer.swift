/// Delta debugging by complements: repeatedly drops chunks of a list (halves, then quarters, ... down
/// to single items) while `stillFails` holds for what remains, so the result is 1-minimal with respect
/// to removing one item.
enum Minimizer {
    static func minimize<T>(_ items: [T], stillFails: ([T]) -> Bool) -> [T] {
        var current = items
        var parts = 2
        while current.count >= 2 {
            let size = (current.count + parts - 1) / parts
            var reduced = false
            var start = 0
            while start < current.count {
                var candidate = current
                candidate.removeSubrange(start..<min(start + size, current.count))
                if stillFails(candidate) {
                    current = candidate
                    reduced = true
                    // Stay at this granularity: the same chunk position now holds new items.
                } else {
                    start += size
                }
            }
            if reduced {
                parts = max(parts - 1, 2)
            } else if size == 1 {
                break
            } else {
                parts = min(parts * 2, current.count)
            }
        }
        if current.count == 1, stillFails([]) { return [] }
        return current
    }

    /// Minimizes a program over its top-level statements, then over indented blocks (removed whole, or
    /// unwrapped), then single lines, then blocks again.
    static func minimizeProgram(_ statements: [String], stillFails: (String) -> Bool) -> String {
        let kept = minimize(statements) { stillFails(join($0)) }
        var lines = join(kept).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            .filter { !$0.isEmpty }
        lines = minimizeBlocks(lines) { stillFails(join($0)) }
        lines = minimize(lines) { stillFails(join($0)) }
        lines = minimizeBlocks(lines) { stillFails(join($0)) }
        return join(lines)
    }

    /// Tries removing each block (a line opening `def`/`class`/`if`/`while`/`begin`/`do`/`{` through
    /// the `end` or `}` at its indentation) and then unwrapping it (its first and last lines only):
    /// line-by-line removal alone cannot drop a balanced pair.
    static func minimizeBlocks(_ input: [String], stillFails: ([String]) -> Bool) -> [String] {
        var lines = input
        var changed = true
        while changed {
            changed = false
            var i = 0
            while i < lines.count {
                if let j = blockEnd(lines, from: i) {
                    var removed = lines
                    removed.removeSubrange(i...j)
                    if stillFails(removed) {
                        lines = removed
                        changed = true
                        continue
                    }
                    var unwrapped = lines
                    unwrapped.remove(at: j)
                    unwrapped.remove(at: i)
                    if stillFails(unwrapped) {
                        lines = unwrapped
                        changed = true
                        continue
                    }
                }
                i += 1
            }
        }
        return lines
    }

    static func indentation(_ line: String) -> Int { line.prefix { $0 == " " }.count }

    /// The index of the line closing the block `lines[start]` opens, judged by indentation, or nil.
    static func blockEnd(_ lines: [String], from start: Int) -> Int? {
        let line = lines[start]
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let openers = ["def ", "class ", "if ", "unless ", "while ", "until ", "begin"]
        let opens = openers.contains { trimmed.hasPrefix($0) } || trimmed.hasSuffix(" do") || trimmed.hasSuffix("{")
            || (trimmed.hasSuffix("|") && (trimmed.contains(" do |") || trimmed.contains("{ |")))
        guard opens, !trimmed.hasSuffix(" end"), !trimmed.hasSuffix("}") || trimmed.hasSuffix("{") else { return nil }
        let level = indentation(line)
        var j = start + 1
        while j < lines.count {
            let other = lines[j].trimmingCharacters(in: .whitespaces)
            let otherLevel = indentation(lines[j])
            if otherLevel == level && (other == "end" || other == "}") { return j }
            if otherLevel < level { return nil }
            if otherLevel == level && !["else", "ensure"].contains(other) && !other.hasPrefix("elsif ")
                && !other.hasPrefix("rescue") { return nil }
            j += 1
        }
        return nil
    }

    private static func join(_ parts: [String]) -> String {
        parts.isEmpty ? "" : parts.joined(separator: "\n") + "\n"
    }
}
