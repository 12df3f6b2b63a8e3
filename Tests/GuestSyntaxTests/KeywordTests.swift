@testable import GuestSyntax
import Testing

/// The lexer matches keywords with a switch over packed constants; the keyword table is what it must match.
@Suite struct KeywordTests {
    @Test func everyKeywordPacksToItsKind() {
        #expect(Lexer.keywords.count == 40)
        for (word, kind) in Lexer.keywords {
            #expect(word.utf8.count <= 8)
            #expect(Lexer.keyword(packed: Lexer.pack(word)) == kind, "\(word)")
        }
    }

    @Test func namesThatAreNotKeywordsAreNot() {
        for word in ["ends", "en", "iff", "Self", "nill", "tru", "classes", "defined", "__FILE_", "x", "e", "_", "module_"] {
            #expect(Lexer.keyword(packed: Lexer.pack(word)) == nil, "\(word)")
        }
    }

    @Test func keywordsLexAsKeywordsAndOtherwiseAsNames() throws {
        var lexer = Lexer(source: "while x; yield; end\nx.class\ndefined? y\nwhiles", fileName: "t.rb")
        let kinds = try lexer.tokenize().map(\.kind)
        #expect(kinds.prefix(7) == [.kwWhile, .identifier, .semicolon, .kwYield, .semicolon, .kwEnd, .newline])
        #expect(kinds.dropFirst(7).prefix(4) == [.identifier, .dot, .identifier, .newline])
        #expect(kinds.dropFirst(11).prefix(3) == [.kwUnsupported, .identifier, .newline])
        #expect(kinds.dropFirst(14).first == .identifier)
    }
}
