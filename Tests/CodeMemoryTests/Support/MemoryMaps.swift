import Foundation

/// One line of /proc/self/maps.
struct MemoryMapping {
    let range: Range<UInt>
    let permissions: String
    let path: String

    var isWritableAndExecutable: Bool {
        permissions.count >= 3 && Array(permissions)[1] == "w" && Array(permissions)[2] == "x"
    }
}

/// The calling process's mappings, parsed from /proc/self/maps.
func currentMappings() throws -> [MemoryMapping] {
    let text = try String(contentsOfFile: "/proc/self/maps", encoding: .utf8)
    return text.split(separator: "\n").compactMap { line in
        let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        guard fields.count >= 5 else { return nil }
        let bounds = fields[0].split(separator: "-")
        guard bounds.count == 2, let low = UInt(bounds[0], radix: 16), let high = UInt(bounds[1], radix: 16)
        else { return nil }
        let path = fields.count == 6 ? String(fields[5]).trimmingCharacters(in: .whitespaces) : ""
        return MemoryMapping(range: low..<high, permissions: String(fields[1]), path: path)
    }
}

/// The process's mappings that are writable and executable at once (W^X violations).
func writableExecutableMappings() throws -> [MemoryMapping] {
    try currentMappings().filter(\.isWritableAndExecutable)
}
