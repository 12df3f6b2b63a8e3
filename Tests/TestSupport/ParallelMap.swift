import Foundation

/// Result slots filled by `parallelMap`'s worker threads under a lock.
private final class ResultSlots<R>: @unchecked Sendable {
    var results: [R?]
    var next = 0
    let lock = NSLock()
    init(count: Int) { results = Array(repeating: nil, count: count) }
}

/// Runs `body` for every item on up to `width` threads and returns the results in order.
///
/// Plain threads rather than Swift concurrency: each body blocks on a child process for seconds, which
/// would starve the cooperative pool the test runner itself uses.
public func parallelMap<T: Sendable, R: Sendable>(_ items: [T], width: Int,
                                                  _ body: @escaping @Sendable (T) -> R) -> [R] {
    let slots = ResultSlots<R>(count: items.count)
    let group = DispatchGroup()
    for _ in 0..<max(1, min(width, items.count)) {
        group.enter()
        Thread.detachNewThread {
            while true {
                slots.lock.lock()
                let index = slots.next
                slots.next += 1
                slots.lock.unlock()
                guard index < items.count else { break }
                let result = body(items[index])
                slots.lock.lock()
                slots.results[index] = result
                slots.lock.unlock()
            }
            group.leave()
        }
    }
    group.wait()
    return slots.results.map { $0! }
}
