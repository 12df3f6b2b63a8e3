/// The bytecode's instructions.
///
/// Format: an ISEQ's code is an array of 64-bit words (`Int`). Each instruction is its opcode word
/// followed by `operandCount` operand words. Jump targets are absolute word indices into the same
/// code; `callSite` operands index `ISeq.callSites`; `child` operands index `ISeq.children`; `string`
/// operands index `ISeq.stringLiterals`; `value` operands are raw `Value` words (immortal objects only).
/// Stack effects are in the comments (`a b -> c`).
public enum Opcode: Int, CaseIterable, Sendable {
    case nop                 // -
    case putNil              // -> nil
    case putTrue             // -> true
    case putFalse            // -> false
    case putSelf             // -> self
    case putObject           // value  -> v
    case putString           // string -> new String
    case putCBase            // -> the lexical class (cref), for `class X` without scope
    case newArray            // n: a1..an -> [a1..an]
    case pop                 // a ->
    case dup                 // a -> a a
    case dupN                // n: a1..an -> a1..an a1..an
    case setN                // n: sets the n-th slot below the top (0 = top) to the top value
    case popUnder            // n: x a1..an v -> x v  (drops n values below the top)
    case getLocal            // index level -> v
    case setLocal            // index level: v ->
    case getLocal0           // index -> v    (current scope)
    case setLocal0           // index: v ->   (current scope)
    case getIvar             // symbol -> v
    case setIvar             // symbol: v ->
    case getGlobal           // symbol -> v
    case setGlobal           // symbol: v ->
    case getConstant         // symbol: -> v       (lexical lookup through the frame's cref)
    case getConstantFrom     // symbol: scope -> v (`Scope::Name`)
    case setConstant         // symbol: v ->       (in the frame's cref class)
    case jump                // target
    case branchIf            // target: v ->
    case branchUnless        // target: v ->
    case send                // callSite: recv a1..an -> result
    case invokeBlock         // callSite: nil a1..an -> result   (`yield`)
    case leave               // v ->  (returns from the frame)
    case throwBreak          // v ->  (`break v` inside a block)
    case throwReturn         // v ->  (`return v` inside a block)
    case rethrow             // throwable ->  (re-raises what a catch handler got)
    case rescueMatch         // exc class -> exc bool
    case toString            // v -> String (calls to_s unless already a String)
    case concatStrings       // n: s1..sn -> String
    case defineMethod        // symbol child: -> :name
    case defineSingletonMethod // symbol child: recv -> :name
    case defineClass         // symbol child flags: cbase super -> result of the body
    case defineModule        // symbol child: cbase -> result of the body
    // Specialised instructions: Integer (and Array/String) fast paths, generic send otherwise.
    case optPlus             // callSite: a b -> a+b
    case optMinus
    case optMult
    case optDiv
    case optMod
    case optLt
    case optLe
    case optGt
    case optGe
    case optEq
    case optNeq
    case optAref             // callSite: recv i -> recv[i]
    case optAset             // callSite: recv i v -> result of []=
    case optLtLt             // callSite: recv v -> recv << v
    case optSize             // callSite: recv -> recv.size
    case optNot              // callSite: v -> !v

    /// The opcode of a code word known to hold one (the compiler wrote it): a plain bit cast, so the
    /// dispatch loop pays no range check or call.
    @inline(__always)
    static func decode(_ word: Int) -> Opcode {
        unsafeBitCast(UInt8(truncatingIfNeeded: word), to: Opcode.self)
    }

    /// Number of operand words after the opcode word.
    public var operandCount: Int {
        switch self {
        case .nop, .putNil, .putTrue, .putFalse, .putSelf, .putCBase, .pop, .dup, .leave,
             .throwBreak, .throwReturn, .rethrow, .rescueMatch, .toString:
            return 0
        case .getLocal, .setLocal, .defineMethod, .defineSingletonMethod, .defineModule:
            return 2
        case .defineClass:
            return 3
        default:
            return 1
        }
    }
}
