/// The text and JSON views of a ``CodePageTimeline``.
struct PageMapView {
    let timeline: CodePageTimeline
    /// Snapshot rows printed at most (evenly chosen, first and last kept).
    var rowLimit = 40
    /// Pages per row printed at most.
    var columnLimit = 128
    /// Freed pages explained per GC at most.
    var freedDetailLimit = 8
    /// GCs listed at most.
    var gcLimit = 50

    var text: String {
        let used = timeline.usedPageCount
        let shown = min(used, columnLimit)
        var lines: [String] = []
        lines.append("== code region: \(timeline.pageCount) pages of \(timeline.pageSize >> 10) KiB, \(used) used, "
                     + "\(timeline.events.count) code GC\(timeline.events.count == 1 ? "" : "s")")
        lines.append("legend: " + CodePageTimeline.State.allCases.map { "\($0.letter) \($0.name)" }.joined(separator: "  "))
        let labelWidth = 14
        var tens = "page".padded(labelWidth), ones = "".padded(labelWidth)
        for page in 0..<shown {
            tens.append(page % 10 == 0 ? Character(String((page / 10) % 10)) : " ")
            ones.append(Character(String(page % 10)))
        }
        lines.append(tens)
        lines.append(ones)
        for index in rowIndices() {
            let snapshot = timeline.snapshots[index]
            var row = snapshot.label.padded(labelWidth)
            for page in 0..<shown { row.append(snapshot.states[page].letter) }
            lines.append(row)
        }
        if used > shown { lines.append("(\(used - shown) more pages not shown)") }
        if timeline.snapshots.count > rowLimit {
            lines.append("(\(timeline.snapshots.count) snapshots; \(rowLimit) shown)")
        }
        lines.append("== pages at the end (inline / outlined bytes used of \(timeline.pageSize) per page)")
        for detail in timeline.details {
            var line = "page \(detail.page): \(detail.state.name), inline \(detail.inlineUsed), outlined \(detail.outlinedUsed)"
            if detail.hasFrames { line += ", a frame returns into it" }
            if !detail.owners.isEmpty { line += "; " + Self.summary(detail.owners) }
            lines.append(line)
        }
        lines.append("== code GCs")
        if timeline.events.isEmpty { lines.append("(none)") }
        for event in timeline.events.prefix(gcLimit) {
            let freed = event.freed.isEmpty ? "freed nothing" : "freed \(event.freed.count) page\(event.freed.count == 1 ? "" : "s"): "
                + Self.ranges(event.freed.map(\.page))
            let pinned = event.pinned.isEmpty ? "" : "; pinned by stacks: " + Self.ranges(event.pinned)
            lines.append("GC \(event.number) (\(event.reason)): \(freed)\(pinned)")
            // Pages freed for the same reason holding the same code are one line.
            var groups: [(text: String, pages: [Int])] = []
            for page in event.freed {
                let text = page.why + (page.held.isEmpty ? "" : "; held " + Self.summary(page.held))
                if let index = groups.firstIndex(where: { $0.text == text }) {
                    groups[index].pages.append(page.page)
                } else {
                    groups.append((text, [page.page]))
                }
            }
            for group in groups.prefix(freedDetailLimit) {
                lines.append("  page\(group.pages.count == 1 ? "" : "s") \(Self.ranges(group.pages)): \(group.text)")
            }
            if groups.count > freedDetailLimit { lines.append("  ... \(groups.count - freedDetailLimit) more kinds of page") }
        }
        if timeline.events.count > gcLimit { lines.append("... \(timeline.events.count - gcLimit) more code GCs") }
        return lines.joined(separator: "\n")
    }

    /// Which snapshots the text map shows.
    func rowIndices() -> [Int] {
        let count = timeline.snapshots.count
        guard count > rowLimit else { return Array(0..<count) }
        return (0..<rowLimit).map { $0 * (count - 1) / (rowLimit - 1) }
    }

    /// `a, b x3, c (+N more)`: equal names counted, first `limit` distinct names listed.
    static func summary(_ names: [String], limit: Int = 4) -> String {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for name in names {
            if counts[name] == nil { order.append(name) }
            counts[name, default: 0] += 1
        }
        let head = order.prefix(limit).map { counts[$0]! > 1 ? "\($0) x\(counts[$0]!)" : $0 }.joined(separator: ", ")
        return order.count > limit ? head + " (+\(order.count - limit) more)" : head
    }

    /// `2-5, 9, 11-12` for sorted page numbers.
    static func ranges(_ pages: [Int]) -> String {
        var parts: [String] = []
        var index = 0
        let sorted = pages.sorted()
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count && sorted[end + 1] == sorted[end] + 1 { end += 1 }
            parts.append(end == index ? "\(sorted[index])" : "\(sorted[index])-\(sorted[end])")
            index = end + 1
        }
        return parts.joined(separator: ", ")
    }

    var json: JSONValue {
        .object([
            ("page_count", .int(timeline.pageCount)), ("page_size", .int(timeline.pageSize)),
            ("used_page_count", .int(timeline.usedPageCount)),
            ("snapshots", .array(timeline.snapshots.map { snapshot in
                .object([
                    ("label", .string(snapshot.label)), ("gc_count", .int(snapshot.gcCount)),
                    ("pages", .string(String(snapshot.states.prefix(timeline.usedPageCount).map(\.letter)))),
                ])
            })),
            ("legend", .object(CodePageTimeline.State.allCases.map { (String($0.letter), .string($0.name)) })),
            ("pages", .array(timeline.details.map { detail in
                .object([
                    ("page", .int(detail.page)), ("state", .string(detail.state.name)),
                    ("inline_used", .int(detail.inlineUsed)), ("outlined_used", .int(detail.outlinedUsed)),
                    ("live_blocks", .int(detail.liveBlocks)), ("invalidated_blocks", .int(detail.invalidatedBlocks)),
                    ("has_frames", .bool(detail.hasFrames)), ("owners", .array(detail.owners.map { .string($0) })),
                ])
            })),
            ("gcs", .array(timeline.events.map { event in
                .object([
                    ("number", .int(event.number)), ("reason", .string(event.reason)),
                    ("pinned_pages", .array(event.pinned.map { .int($0) })),
                    ("freed", .array(event.freed.map { page in
                        .object([("page", .int(page.page)), ("why", .string(page.why)),
                                 ("held", .array(page.held.map { .string($0) }))])
                    })),
                ])
            })),
        ])
    }
}
