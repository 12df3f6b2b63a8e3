import Foundation
import Testing

/// `jitstack pages`: the region's timeline, per-page detail, what each GC freed and why, and the SVG.
@Suite struct PagesViewTests {
    /// Redefines `m` 60 times in a 64 KiB region of 4 KiB pages, collecting every tenth time (ten versions
    /// of `m` between collections fill more than the page being written, so a collection frees one).
    static let churn = "i = 0; while i < 60; eval(\"def m; #{i}; end\"); m; m; JIT.code_gc if i % 10 == 0; i += 1; end; puts i"
    static let flags = ["--call-threshold", "1", "--page-size", "4K", "--code-region", "64K"]

    @Test func textMapHasARowPerGCAndSaysWhyPagesWereFreed() throws {
        let outcome = try JitstackProcess.run(["pages"] + Self.flags + ["-e", Self.churn])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "60")
        let header = try #require(lines.first { $0.hasPrefix("== code region: 16 pages of 4 KiB, ") })
        #expect(header.hasSuffix(" used, 6 code GCs"), "one GC per JIT.code_gc call")
        let used = try #require(Int(header.split(separator: " ")[8]))
        #expect(lines.contains { $0.hasPrefix("legend: . uncommitted  f free  L live  i invalidated  P pinned  W writing  S shared") })
        let rows = lines.filter { $0.hasPrefix("start") || $0.hasPrefix("before GC") || $0.hasPrefix("end ") }
        #expect(rows.count == 8)
        #expect(rows.allSatisfy { $0.count == 14 + used })
        #expect(rows.first?.hasSuffix("S" + String(repeating: ".", count: used - 1)) == true)
        #expect(lines.contains { $0.range(of: #"^GC \d \(requested\): freed \d+ pages?: \d"#, options: .regularExpression) != nil })
        #expect(lines.contains { $0.contains("all its code was invalidated") && $0.contains("held m pc 0...") })
    }

    @Test func jsonHasSnapshotsPagesAndGCs() throws {
        let outcome = try JitstackProcess.run(["pages", "--json"] + Self.flags + ["-e", Self.churn])
        #expect(outcome.status == 0)
        let document = try JitstackProcess.json(outcome.stdout)
        #expect(document["output"] as? String == "60\n")
        let region = try #require(document["region"] as? [String: Any])
        let snapshots = try #require(region["snapshots"] as? [[String: Any]])
        let gcs = try #require(region["gcs"] as? [[String: Any]])
        #expect(snapshots.count == gcs.count + 2)
        #expect(gcs.map { $0["number"] as? Int } == (1...gcs.count).map { $0 })
        let used = try #require(region["used_page_count"] as? Int)
        #expect(snapshots.allSatisfy { ($0["pages"] as? String)?.count == used })
        let freed = gcs.flatMap { $0["freed"] as? [[String: Any]] ?? [] }
        #expect(!freed.isEmpty)
        #expect(freed.allSatisfy { !($0["why"] as? String ?? "").isEmpty })
        // A page freed by GC n reads `f` in the snapshot taken before GC n + 1 (or at the end).
        for (index, gc) in gcs.enumerated() {
            for page in (gc["freed"] as? [[String: Any]] ?? []).compactMap({ $0["page"] as? Int }) {
                let after = Array(snapshots[index + 2]["pages"] as? String ?? "")
                #expect(after[page] == "f" || after[page] == "W" || after[page] == "L", "page \(page) after GC \(index + 1)")
            }
        }
        let pages = try #require(region["pages"] as? [[String: Any]])
        #expect(pages.contains { $0["state"] as? String == "shared" })
        #expect(pages.allSatisfy { ($0["inline_used"] as? Int ?? -1) >= 0 && ($0["outlined_used"] as? Int ?? -1) >= 0 })
    }

    @Test func svgDrawsOneColumnPerSnapshotWithALegend() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pages-\(UUID().uuidString).svg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outcome = try JitstackProcess.run(["pages", "--svg", path] + Self.flags + ["-e", Self.churn])
        #expect(outcome.status == 0)
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
        for state in ["free", "live", "invalidated", "pinned", "writing", "shared"] { #expect(svg.contains(">\(state): ")) }
        #expect(svg.contains("fill=\"#6a4c93\""), "the shared page is drawn")
        #expect(svg.components(separatedBy: "<rect").count == svg.components(separatedBy: "/>").count)
    }

    @Test func pagesRejectsNoJITAndAnUnwritableSVGPath() throws {
        let noJIT = try JitstackProcess.run(["pages", "--no-jit", "-e", "1"])
        #expect(noJIT.status == 1)
        #expect(noJIT.stderr.contains("drop --no-jit"))
        let badPath = try JitstackProcess.run(["pages", "--svg", "/nonexistent-dir/x.svg", "-e", "1"])
        #expect(badPath.status == 1)
        #expect(badPath.stderr.contains("cannot write /nonexistent-dir/x.svg"))
    }
}
