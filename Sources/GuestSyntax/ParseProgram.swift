/// The default limit on how deeply expressions and statements may nest: deeper input is a
/// `SyntaxError` instead of a stack overflow.
public let defaultMaximumNestingDepth = 1000

/// Parses a whole program (or an `eval` string) into a `.sequence` node.
///
/// Errors carry `fileName` and a 1-based line and byte column: their description is `file:line:col: message`.
public func parseProgram(_ source: String, fileName: String) throws(SyntaxError) -> Node {
    try parseProgram(source, fileName: fileName, maximumNestingDepth: defaultMaximumNestingDepth)
}

/// `parseProgram` with an explicit nesting limit, for callers running on small stacks (the parser
/// recurses once per nesting level; each level costs a few kilobytes of stack in debug builds).
public func parseProgram(_ source: String, fileName: String, maximumNestingDepth: Int) throws(SyntaxError) -> Node {
    var lexer = Lexer(source: source, fileName: fileName)
    let tokens = try lexer.tokenize()
    var parser = Parser(tokens: tokens, fileName: fileName, maximumDepth: maximumNestingDepth)
    return try parser.parseProgram()
}
