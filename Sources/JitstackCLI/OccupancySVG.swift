/// A picture of the code region over a run: one column per snapshot (before each code GC, then the end),
/// one row per page, each cell coloured by the page's state; a bar under each column counts the pages
/// the following GC freed.
struct OccupancySVG {
    let timeline: CodePageTimeline
    var title = "Code region occupancy"

    static func color(_ state: CodePageTimeline.State) -> String {
        switch state {
        case .uncommitted: "#ffffff"
        case .free: "#d9d9d9"
        case .live: "#2e8b57"
        case .invalidated: "#f4a261"
        case .pinned: "#d62828"
        case .writing: "#1d70b8"
        case .shared: "#6a4c93"
        }
    }

    var document: String {
        let columns = timeline.snapshots.count
        let rows = timeline.usedPageCount
        let cellWidth = max(2, min(44, 900 / max(columns, 1)))
        let cellHeight = max(2, min(16, 420 / max(rows, 1)))
        let left = 70, top = 46
        let plotWidth = cellWidth * columns, plotHeight = cellHeight * rows
        let legendTop = top + plotHeight + 60
        let width = max(left + plotWidth + 30, 640)
        let height = legendTop + 20 * ((CodePageTimeline.State.allCases.count + 2) / 3) + 16
        var svg: [String] = []
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" font-family=\"sans-serif\" font-size=\"12\">")
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>")
        svg.append("<text x=\"\(left)\" y=\"20\" font-size=\"15\" font-weight=\"bold\">\(escape(title))</text>")
        svg.append("<text x=\"\(left)\" y=\"36\" fill=\"#444\">\(rows) pages of \(timeline.pageSize >> 10) KiB (rows) by snapshot before each code GC (columns), \(timeline.events.count) GCs</text>")
        for (column, snapshot) in timeline.snapshots.enumerated() {
            // Runs of one state in a column become one rectangle: small files even for long runs.
            var row = 0
            while row < rows {
                let state = snapshot.states[row]
                var end = row + 1
                while end < rows && snapshot.states[end] == state { end += 1 }
                if state != .uncommitted {
                    svg.append("<rect x=\(q(left + column * cellWidth)) y=\(q(top + row * cellHeight)) width=\(q(cellWidth)) height=\(q((end - row) * cellHeight)) fill=\(q(Self.color(state)))/>")
                }
                row = end
            }
        }
        svg.append("<rect x=\(q(left)) y=\(q(top)) width=\(q(plotWidth)) height=\(q(plotHeight)) fill=\"none\" stroke=\"#888\"/>")
        // Page axis: a tick every tenth of the rows.
        let pageStep = max(1, rows / 8)
        for page in stride(from: 0, to: rows, by: pageStep) {
            svg.append("<text x=\(q(left - 6)) y=\(q(top + page * cellHeight + cellHeight)) text-anchor=\"end\">page \(page)</text>")
        }
        // Snapshot axis: GC numbers.
        let columnStep = max(1, columns / 10)
        for column in stride(from: 0, to: columns, by: columnStep) {
            let label = timeline.snapshots[column].label.replacing("before ", with: "")
            svg.append("<text x=\(q(left + column * cellWidth)) y=\(q(top + plotHeight + 16))>\(escape(label))</text>")
        }
        svg.append("<text x=\(q(left + plotWidth / 2)) y=\(q(top + plotHeight + 34)) text-anchor=\"middle\" fill=\"#444\">time: snapshot taken as each code GC begins; last column: end of the run</text>")
        for (index, state) in CodePageTimeline.State.allCases.enumerated() {
            let x = left + (index % 3) * 250, y = legendTop + (index / 3) * 20
            svg.append("<rect x=\(q(x)) y=\(q(y - 10)) width=\"12\" height=\"12\" fill=\(q(Self.color(state))) stroke=\"#888\"/>")
            svg.append("<text x=\(q(x + 18)) y=\(q(y))>\(escape(state.name)): \(escape(shortMeaning(state)))</text>")
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    private func shortMeaning(_ state: CodePageTimeline.State) -> String {
        switch state {
        case .uncommitted: "never used"
        case .free: "freed, reusable"
        case .live: "live code"
        case .invalidated: "dead, freed next GC"
        case .pinned: "dead, kept by a frame"
        case .writing: "JIT writing here"
        case .shared: "trampoline, exits"
        }
    }

    private func q(_ value: Int) -> String { "\"\(value)\"" }
    private func q(_ value: String) -> String { "\"\(value)\"" }

    private func escape(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;")
            .replacing(">", with: "&gt;")
    }
}
