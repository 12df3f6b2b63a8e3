import CodeGC
import CodeMemory
import GuestVM

/// Where a new block's code goes, so pages fill up before the region does.
///
/// Splitting a block across pages (the only placement once) leaves every page it starts on or leaves with
/// the room one more instruction might have needed: a few hundred bytes of a 4 KiB page, 10-15% of a
/// region of small methods. A block that fits a page is instead compiled *whole* and written only where
/// it fits, trying in turn:
/// 1. the current page as its parts are divided now (most blocks: compiled once);
/// 2. the current page again, the block's exact size now known (from step 1), *packed*: its inline and
///    outlined code in one free stretch (the outlined window's tail, or the free middle);
/// 3. when no unused page is left, the first live page whose unwritten bytes hold it packed (first fit),
///    so the ends of earlier pages take small methods instead of the region refusing them;
/// 4. a fresh page (which may collect).
/// Only a block larger than a page is split. Code only ever goes into bytes never handed out before: frees
/// stay page-granular, and no freed or dead byte is reused.
extension GuestJIT {
    /// A placed block: its compiler (labels, branches, return points) and its code ranges.
    typealias PlacedBlock = (compiler: BlockCompiler, code: (ranges: [Range<UInt>], outlined: [Range<UInt>]))

    /// Changes whenever room for code may have appeared: a page was freed, or the current page changed
    /// (the old one joins the pages first fit looks at). In between, pages only lose unwritten bytes.
    var roomGeneration: Int { region.freedPageCount &+ currentPageChanges }

    /// Compiles a block with `make`'s fresh compilers, placed as described above; nil when there is no room
    /// (or compilation failed). A split block's last page becomes the current page (it has the room left).
    ///
    /// `failureMemo` (the block's owner and key) remembers a failure: a method that found no room retries
    /// after some calls, a branch to a block that found none hits its stub again, usually with nothing
    /// changed (a region full of code in use); the retry then only asks for a fresh page (which counts the
    /// failure and may collect) instead of compiling to measure the block and searching every page again.
    func placeBlock(
        startPC: Int, failureMemo: (record: OwnerRecord, key: UInt64), _ make: () -> BlockCompiler
    ) -> PlacedBlock? {
        let (record, key) = failureMemo
        if record.placementFailed(key, at: roomGeneration), switchCurrentPage() == nil { return nil }
        let placed = placeBlockWherever(startPC: startPC, make)
        if placed == nil {
            record.notePlacementFailure(key, at: roomGeneration)
        } else if !record.placementFailures.isEmpty {
            record.notePlacementFailure(key, at: nil)
        }
        return placed
    }

    private func placeBlockWherever(startPC: Int, _ make: () -> BlockCompiler) -> PlacedBlock? {
        var size: (inline: Int, outlined: Int)?
        // Without a current page (a failed allocation dropped it), a region with no unused page is measured
        // on the shared code's page, the one page that always lives (the block goes there if it fits).
        if let page = currentPage ?? (region.hasUnusedPage ? nil : shared.page) {
            // A window left full by the last block is re-opened at the predicted share first.
            _ = region.makeRoom(inline: 0, outlined: Self.stubSize, in: PageIndex(page))
            switch attemptWhole(.whole(page: page), startPC: startPC, make) {
            case .placed(let placed): return placed
            case .doesNotFit(let inline, let outlined): size = (inline, outlined)
            case .largerThanPage: return split(startPC: startPC, make)
            case .failed: return nil
            }
        }
        if let size {
            if let page = currentPage, let placement = packedPlacement(on: page, size),
               case .placed(let placed) = attemptWhole(placement, startPC: startPC, make) {
                return placed
            }
            if !region.hasUnusedPage, let placement = gapPlacement(size) {
                let page = placement.page
                if (try? gc.holdPage(page)) != nil {
                    if case .placed(var placed) = attemptWhole(placement.placement, startPC: startPC, make) {
                        placed.compiler.heldPages.append(page)
                        counters.gapPlacements += 1
                        return placed
                    }
                    try? gc.releasePage(page)
                }
            }
        }
        guard let page = switchCurrentPage() else { return nil }
        if let size {
            _ = region.makeRoom(exactlyInline: size.inline, outlined: size.outlined, in: PageIndex(page))
        } else {
            _ = region.makeRoom(inline: 0, outlined: Self.stubSize, in: PageIndex(page))
        }
        switch attemptWhole(.whole(page: page), startPC: startPC, make) {
        case .placed(let placed): return placed
        case .doesNotFit, .largerThanPage: return split(startPC: startPC, make)
        case .failed: return nil
        }
    }

    /// A placement of a block of `size` on `page`: packed in its outlined window's free tail if that holds
    /// it; else each part in its own part of the page if both have room; else packed in its free middle
    /// (re-divided: the window shrinks to nothing above the block, and is re-opened at the predicted share
    /// when the next block needs one). Nil when none holds it.
    func packedPlacement(on page: Int, _ size: (inline: Int, outlined: Int)) -> BlockCompiler.Placement? {
        let p = PageIndex(page)
        let inlineBytes = size.inline
        let needed = inlineBytes + size.outlined
        if region.remaining(.outlined, of: p) >= needed {
            return .packed(page: page, half: .outlined, inlineBytes: inlineBytes)
        }
        // Neither stretch holds all of it, but each holds its part.
        if region.remaining(.inline, of: p) >= inlineBytes && region.remaining(.outlined, of: p) >= size.outlined {
            return .whole(page: page)
        }
        guard region.makeRoom(exactlyInline: needed, outlined: 0, in: p) else { return nil }
        return .packed(page: page, half: .inline, inlineBytes: inlineBytes)
    }

    /// First fit for a packed block among live pages other than the current one that still hold live code
    /// or are held for good (the shared code's page); a page of only dead code is left for the collector to
    /// free whole.
    private func gapPlacement(_ size: (inline: Int, outlined: Int)) -> (page: Int, placement: BlockCompiler.Placement)? {
        var placement: BlockCompiler.Placement?
        let page = region.firstPage(
            withRoom: size.inline + size.outlined, excluding: currentPage.map(PageIndex.init)
        ) { candidate in
            guard gc.pageHoldsLiveCode(candidate.rawValue) || gc.isHeld(page: candidate.rawValue) else { return false }
            placement = packedPlacement(on: candidate.rawValue, size)
            return placement != nil
        }
        guard let page, let placement else { return nil }
        return (page.rawValue, placement)
    }

    private enum WholeAttempt {
        case placed(PlacedBlock)
        case doesNotFit(inline: Int, outlined: Int)
        case largerThanPage
        case failed
    }

    /// One `.whole` or `.packed` compilation.
    private func attemptWhole(_ placement: BlockCompiler.Placement, startPC: Int, _ make: () -> BlockCompiler) -> WholeAttempt {
        var compiler = make()
        let result: WholeAttempt
        do {
            guard let code = try compiler.compile(startPC: startPC, placement: placement) else {
                compiler.finish(into: &compileScratch)
                return .failed
            }
            return .placed((compiler, code))
        } catch let error as BlockCompiler.DoesNotFit {
            result = .doesNotFit(inline: error.inline, outlined: error.outlined)
        } catch is BlockCompiler.LargerThanPage {
            result = .largerThanPage
        } catch {
            result = .failed
        }
        compiler.finish(into: &compileScratch)
        if case .failed = result {} else { counters.placementRetries += 1 }
        return result
    }

    /// A block larger than a page: from the current page (or a fresh one) on, over fresh pages.
    private func split(startPC: Int, _ make: () -> BlockCompiler) -> PlacedBlock? {
        var compiler = make()
        let code: (ranges: [Range<UInt>], outlined: [Range<UInt>])?
        do { code = try compiler.compile(startPC: startPC) } catch { code = nil }
        guard let code else {
            for page in compiler.heldPages { try? gc.releasePage(page) }
            compiler.finish(into: &compileScratch)
            return nil
        }
        // The page the block ended on has the room left: new code continues there.
        if let last = compiler.heldPages.last, (try? gc.holdPage(last)) != nil {
            if let old = currentPage { try? gc.releasePage(old) }
            currentPage = last
        }
        return (compiler, code)
    }
}
