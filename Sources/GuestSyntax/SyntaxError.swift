/// A lexing or parsing failure: where it happened and why.
///
/// `description` is exactly `file:line:col: message`, the form the CLI prints on stderr.
public struct SyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public var fileName: String
    public var location: SourceLocation
    public var message: String

    public init(fileName: String, location: SourceLocation, message: String) {
        self.fileName = fileName
        self.location = location
        self.message = message
    }

    public var description: String { "\(fileName):\(location.line):\(location.column): \(message)" }
}
