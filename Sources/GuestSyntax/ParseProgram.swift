#if canImport(Glibc)
import Glibc
#endif

/// The default limit on how deeply expressions and statements may nest: deeper input is a
/// `SyntaxError` instead of a stack overflow.
public let defaultMaximumNestingDepth = 1000

/// Parses a whole program (or an `eval` string) into a `.sequence` node.
///
/// Errors carry `fileName` and a 1-based line and byte column: their description is `file:line:col: message`.
///
/// Shapes the parser produces (beyond what `NodeKind`'s comments say):
/// - Bodies (`def`, `class`, `module`, blocks, `if`/`while` branches) are `.sequence`, possibly empty;
///   with `rescue`/`ensure` clauses a `def`/`do`/`begin` body is a `.begin` around that sequence, and a
///   `begin ... end` without clauses is just its body sequence.
/// - `( stmts )` and `#{ stmts }` give the single statement itself, a `.sequence` for several, `.nil` for none.
/// - Unary minus/plus on a non-literal is a call to `-@`/`+@` with no arguments; `-5` is `.integer(-5)`.
/// - `!x` and `not x` are `.not`; `a != b` is a call to `!=`; `&&`/`and` are `.and`, `||`/`or` are `.or`.
/// - `unless c; a; else; b; end` is `.if(c, then: b, else: a)`; `until c` is `.while(.not(c))`;
///   `x if c` is `.if(c, then: x, else: nil)`; the ternary is an `.if`.
/// - `begin ... end while c` (body first) is `while true; body; break unless c; end`.
/// - `stmt rescue v` is a `.begin` with one class-less clause; for `x = e rescue v` it wraps `e`.
/// - `return a, b` / `break a, b` / `next a, b` carry an `.array`.
/// - `def f = expr` is an ordinary definition whose body is `.sequence([expr])`.
/// - `yield` outside a method parses; rejecting it ("Invalid yield") is the compiler's job.
public func parseProgram(_ source: String, fileName: String) throws(SyntaxError) -> Node {
    try parseProgram(source, fileName: fileName, maximumNestingDepth: defaultMaximumNestingDepth)
}

/// `parseProgram` with an explicit nesting limit.
///
/// Stack use: the parser recurses once per nesting level (up to ~20 KB per level in debug builds).
/// It parses on the caller's stack while nesting stays within `inlineNestingBudget` levels, which
/// covers small `eval` strings at no extra cost; deeper input is parsed again on a thread with a
/// `largeStackSize` stack, so even `maximumNestingDepth` levels cannot overflow the caller's stack
/// (a fiber's, say).
public func parseProgram(_ source: String, fileName: String, maximumNestingDepth: Int) throws(SyntaxError) -> Node {
    var lexer = Lexer(source: source, fileName: fileName)
    let tokens: [Token]
    do {
        tokens = try lexer.tokenize()
    } catch {
        throw asSyntaxError(error)
    }
    let budget = maximumNestingDepth <= inlineNestingBudget ? nil : inlineNestingBudget
    var inline = Parser(tokens: tokens, fileName: fileName, maximumDepth: maximumNestingDepth, stackBudget: budget)
    do {
        return try inline.parseProgram()
    } catch is NeedsLargerStack {
        let job = ParseJob(tokens: tokens, fileName: fileName, maximumDepth: maximumNestingDepth, stackBudget: nil)
        guard runOnLargeStack(job), let result = job.result else {
            throw SyntaxError(fileName: fileName, location: SourceLocation(line: 1, column: 1),
                              message: "nesting too deep to parse (more than \(inlineNestingBudget) levels and no parser thread could be started)")
        }
        return try result.get()
    } catch {
        throw asSyntaxError(error)
    }
}

/// Nesting levels parsed directly on the caller's stack before moving to a large-stack thread.
public let inlineNestingBudget = 16

/// Stack size of the thread that parses deeply nested input (reserved, committed only as touched).
let largeStackSize = 128 << 20

/// Thrown inside the parser when an inline parse exceeds its stack budget.
struct NeedsLargerStack: Error {}

private func asSyntaxError(_ error: any Error) -> SyntaxError {
    // The lexer and parser use untyped `throws` internally (typed throws return the error through a
    // stack slot at every call site, which multiplied the recursive parser's frame sizes).
    guard let syntaxError = error as? SyntaxError else {
        preconditionFailure("the parser only throws SyntaxError, got \(error)")
    }
    return syntaxError
}

/// One parse of a token array, runnable on another thread.
private final class ParseJob {
    let tokens: [Token]
    let fileName: String
    let maximumDepth: Int
    let stackBudget: Int?
    var result: Result<Node, SyntaxError>?

    init(tokens: [Token], fileName: String, maximumDepth: Int, stackBudget: Int?) {
        self.tokens = tokens
        self.fileName = fileName
        self.maximumDepth = maximumDepth
        self.stackBudget = stackBudget
    }

    func parse() throws -> Node {
        var parser = Parser(tokens: tokens, fileName: fileName, maximumDepth: maximumDepth, stackBudget: stackBudget)
        return try parser.parseProgram()
    }

    func runAndStore() {
        do {
            result = .success(try parse())
        } catch {
            result = .failure(asSyntaxError(error))
        }
    }
}

/// Runs `job` on a fresh thread with a `largeStackSize` stack and waits for it. False if no thread could start.
private func runOnLargeStack(_ job: ParseJob) -> Bool {
    var attributes = pthread_attr_t()
    guard pthread_attr_init(&attributes) == 0 else { return false }
    defer { pthread_attr_destroy(&attributes) }
    guard pthread_attr_setstacksize(&attributes, largeStackSize) == 0 else { return false }
    let context = Unmanaged.passRetained(job).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(&thread, &attributes, { raw in
        let job = Unmanaged<ParseJob>.fromOpaque(raw!).takeRetainedValue()
        job.runAndStore()
        return nil
    }, context)
    guard status == 0 else {
        Unmanaged<ParseJob>.fromOpaque(context).release()
        return false
    }
    pthread_join(thread, nil)
    return true
}
