import GuestSyntax

/// The parser entry point the VM uses (GuestSyntax's `parseProgram`).
func parseSource(_ source: String, fileName: String) throws(SyntaxError) -> Node {
    try parseProgram(source, fileName: fileName)
}
