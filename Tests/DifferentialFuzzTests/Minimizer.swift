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

    /// Minimizes a program over its top-level statements, then over single lines.
    static func minimizeProgram(_ statements: [String], stillFails: (String) -> Bool) -> String {
        let kept = minimize(statements) { stillFails(join($0)) }
        let lines = join(kept).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            .filter { !$0.isEmpty }
        return join(minimize(lines) { stillFails(join($0)) })
    }

    private static func join(_ parts: [String]) -> String {
        parts.isEmpty ? "" : parts.joined(separator: "\n") + "\n"
    }
}
