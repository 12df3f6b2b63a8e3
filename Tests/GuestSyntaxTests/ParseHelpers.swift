import GuestSyntax

/// The S-expression of a program's statements (without the outer `(seq ...)` when there is one).
func sexp(_ source: String) throws -> String {
    let program = try parseProgram(source, fileName: "t.rb")
    guard case .sequence(let statements) = program.kind else { return dumpAST(program) }
    return statements.map(dumpAST).joined(separator: "; ")
}

/// The error a program fails with, as `file:line:col: message`, or nil if it parses.
func syntaxError(_ source: String) -> String? {
    do {
        _ = try parseProgram(source, fileName: "t.rb")
        return nil
    } catch {
        return error.description
    }
}
