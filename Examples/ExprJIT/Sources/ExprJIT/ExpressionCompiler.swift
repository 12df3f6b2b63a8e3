import CodeGC
import X86Assembler

/// Compiles an expression to a System V function `f(x) -> Int` with an rbp frame (so libunwind can walk
/// through it once the region is registered): a stack machine with the result in rax.
enum ExpressionCompiler {
    /// Frame: [rbp-8] saved rbx, [rbp-16] x. rsp stays 16-byte aligned at calls (rbx keeps the old rsp).
    static func compile(_ expression: Expression, into assembler: inout Assembler, returnPoints: inout [ReturnPoint]) throws {
        assembler.push(.rbp)
        assembler.mov(.rbp, .rsp)
        assembler.push(.rbx)
        assembler.push(.rdi)
        emit(expression, into: &assembler, returnPoints: &returnPoints)
        epilogue(into: &assembler)
    }

    /// Restores rbx and returns from the frame, whatever was pushed since the prologue.
    static func epilogue(into assembler: inout Assembler) {
        assembler.mov(.rbx, Memory(base: .rbp, displacement: -8))
        assembler.mov(.rsp, .rbp)
        assembler.pop(.rbp)
        assembler.ret()
    }

    private static func emit(_ expression: Expression, into assembler: inout Assembler, returnPoints: inout [ReturnPoint]) {
        switch expression {
        case .number(let value):
            assembler.mov(.rax, value)
        case .variable:
            assembler.mov(.rax, Memory(base: .rbp, displacement: -16))
        case .collect:
            // A call that may re-enter the engine (and invalidate this very code): a patchable return point.
            assembler.mov(.rbx, .rsp)
            assembler.and(.rsp, -16)
            assembler.movabs(.rax, UInt64(UInt(bitPattern: unsafeBitCast(collectFromJIT, to: Int.self))))
            assembler.call(.rax)
            let returnAddress = assembler.currentAddress
            let resume = assembler.newLabel()
            let jump = assembler.patchableJmp(resume)
            assembler.bind(resume)
            assembler.mov(.rsp, .rbx)
            returnPoints.append(ReturnPoint(returnAddress: returnAddress, jumpAddress: jump.address))
        case .binary(let op, let left, let right):
            emit(left, into: &assembler, returnPoints: &returnPoints)
            assembler.push(.rax)
            emit(right, into: &assembler, returnPoints: &returnPoints)
            assembler.mov(.rcx, .rax)
            assembler.pop(.rax)
            switch op {
            case "+": assembler.add(.rax, .rcx)
            case "-": assembler.sub(.rax, .rcx)
            default: assembler.imul(.rax, .rcx)
            }
        }
    }
}
