import GuestSyntax
@testable import GuestVM
import Testing

@Suite struct CompilerTests {
    func opcodes(_ iseq: ISeq) -> [Opcode] {
        var ops: [Opcode] = []
        var i = 0
        while i < iseq.codeCount {
            let op = Opcode(rawValue: iseq.code[i])!
            ops.append(op)
            i += 1 + op.operandCount
        }
        return ops
    }

    @Test func integerAdditionUsesTheSpecialisedInstruction() throws {
        let vm = VM()
        let iseq = try vm.compile("1 + 2", fileName: "t.rb")
        #expect(opcodes(iseq) == [.putObject, .putObject, .optPlus, .leave])
    }

    @Test func unusedAssignmentNeedsNoDupOrPop() throws {
        let vm = VM()
        let iseq = try vm.compile("x = 1\nx += 2\nx", fileName: "t.rb")
        #expect(opcodes(iseq) == [.putObject, .setLocal0, .getLocal0, .putObject, .optPlus, .setLocal0, .getLocal0, .leave])
        #expect(iseq.localNames == ["x"])
    }

    @Test func whileLoopBranchesBackwardFromItsCondition() throws {
        let vm = VM()
        let iseq = try vm.compile("i = 0\nwhile i < 10\n  i += 1\nend", fileName: "t.rb")
        let ops = opcodes(iseq)
        #expect(ops.contains(.optLt))
        #expect(ops.contains(.branchIf))
        #expect(ops.contains(.jump))
    }

    @Test func blocksResolveOuterLocalsOneLevelUp() throws {
        let vm = VM()
        let iseq = try vm.compile("x = 1\n[1].each { |y| x = x + y }", fileName: "t.rb")
        let block = try #require(iseq.children.first { $0.kind == .block })
        #expect(block.parameterCount == 1)
        #expect(opcodes(block).contains(.getLocal))
        #expect(opcodes(block).contains(.setLocal))
        #expect(block.root === iseq)
    }

    @Test func methodBodiesAreChildISeqsWithTheirParameters() throws {
        let vm = VM()
        let iseq = try vm.compile("def add(a, b)\n  a + b\nend", fileName: "t.rb")
        let method = try #require(iseq.children.first)
        #expect(method.kind == .method)
        #expect(method.name == "add")
        #expect(method.parameterCount == 2)
        #expect(opcodes(iseq).contains(.defineMethod))
    }

    @Test func rescueAndEnsureProduceCatchTableEntries() throws {
        let vm = VM()
        let iseq = try vm.compile("begin\n  1\nrescue => e\n  2\nensure\n  3\nend", fileName: "t.rb")
        #expect(iseq.catchTable.map(\.kind) == [.rescue, .ensure])
    }

    @Test func breakOutsideALoopOrBlockIsASyntaxError() {
        let vm = VM()
        #expect(throws: SyntaxError.self) { try vm.compile("break", fileName: "t.rb") }
        #expect(throws: SyntaxError.self) { try vm.compile("def f\n  next\nend", fileName: "t.rb") }
    }

    @Test func yieldOutsideAMethodIsASyntaxError() throws {
        let vm = VM()
        #expect(throws: SyntaxError.self) { try vm.compile("yield 1", fileName: "t.rb") }
        #expect(throws: SyntaxError.self) { try vm.compile("[1].each { yield }", fileName: "t.rb") }
        _ = try vm.compile("def m\n  [1].each { yield }\nend", fileName: "t.rb")
    }

    @Test func everyCodeWordHasASourceLine() throws {
        let vm = VM()
        let iseq = try vm.compile("a = 1\n\nputs a", fileName: "t.rb")
        #expect(iseq.line(at: 0) == 1)
        #expect(iseq.line(at: iseq.codeCount - 1) == 3)
    }
}
