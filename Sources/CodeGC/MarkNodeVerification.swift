// Checking the marking nodes against the records they summarize (tests and debugging; O(graph)).

extension GraphStore {
    /// Every way the dense marking state of live blocks disagrees with their records, as readable lines;
    /// empty when marking would read what the records say. A record destination naming a freed block
    /// counts as no edge (the store clears such edges when the block goes).
    func markNodeMismatches() -> [String] {
        var mismatches: [String] = []
        for slot in 0..<blocks.slotCount {
            guard let handle = blocks.handle(atSlot: slot) else { continue }
            let record = blocks[handle]
            let node = markNodes[slot]
            var page = record.ranges.count == 1 ? singlePage(of: record.ranges[0]) : MarkNode.severalPages
            for reference in record.references where singlePage(of: reference) != page { page = MarkNode.severalPages }
            if node.page != page { mismatches.append("block \(slot): page \(node.page), record says \(page)") }
            if entryBlocks.contains(slot) != record.isEntry {
                mismatches.append("block \(slot): entry bit \(entryBlocks.contains(slot)), record says \(record.isEntry)")
            }
            var expected = Array(repeating: MarkEdge.none, count: MarkNode.inlinePositions)
            var position = 0
            for branch in record.outgoing {
                guard branches.contains(branch.handle) else {
                    mismatches.append("block \(slot): outgoing \(branch) has no record")
                    continue
                }
                if Int(branchEdgePositions[Int(branch.handle.index)]) != position {
                    mismatches.append("block \(slot): \(branch) at position \(branchEdgePositions[Int(branch.handle.index)]), expected \(position)")
                }
                for target in branches[branch.handle].targets {
                    if position < MarkNode.inlinePositions { expected[position] = expectedEdge(to: target.destination) }
                    position += 1
                }
            }
            if position > MarkNode.inlinePositions { expected[2] = MarkEdge.fromRecords }
            for index in 0..<MarkNode.inlinePositions where node[index] != expected[index] {
                mismatches.append("block \(slot): edge \(index) is \(node[index]), records say \(expected[index])")
            }
        }
        return mismatches
    }

    private func expectedEdge(to destination: BranchDestination) -> UInt32 {
        if case .block(let block) = destination, !blocks.contains(block.handle) { return MarkEdge.none }
        return edge(to: destination)
    }
}
