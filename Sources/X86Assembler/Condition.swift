/// A condition code for `jcc`, `setcc` and `cmovcc`; the raw value is the hardware `tttn` nibble.
///
/// "Below"/"above" are the unsigned comparisons, "less"/"greater" the signed ones.
public enum Condition: UInt8, CaseIterable, Sendable {
    /// OF = 1 (`o`).
    case overflow = 0x0
    /// OF = 0 (`no`).
    case noOverflow = 0x1
    /// CF = 1: unsigned `<` (`b`, `c`).
    case below = 0x2
    /// CF = 0: unsigned `>=` (`ae`, `nc`).
    case aboveOrEqual = 0x3
    /// ZF = 1 (`e`, `z`).
    case equal = 0x4
    /// ZF = 0 (`ne`, `nz`).
    case notEqual = 0x5
    /// CF = 1 or ZF = 1: unsigned `<=` (`be`).
    case belowOrEqual = 0x6
    /// CF = 0 and ZF = 0: unsigned `>` (`a`).
    case above = 0x7
    /// SF = 1 (`s`).
    case sign = 0x8
    /// SF = 0 (`ns`).
    case noSign = 0x9
    /// PF = 1 (`p`).
    case parity = 0xA
    /// PF = 0 (`np`).
    case noParity = 0xB
    /// SF != OF: signed `<` (`l`).
    case less = 0xC
    /// SF == OF: signed `>=` (`ge`).
    case greaterOrEqual = 0xD
    /// ZF = 1 or SF != OF: signed `<=` (`le`).
    case lessOrEqual = 0xE
    /// ZF = 0 and SF == OF: signed `>` (`g`).
    case greater = 0xF

    /// The condition that holds exactly when this one does not (hardware flips the low bit).
    @inlinable public var inverted: Condition {
        // Every nibble value is a case, so this cannot fail.
        Condition(rawValue: rawValue ^ 1).unsafelyUnwrapped
    }

    /// Alias of ``equal``: ZF = 1.
    public static let zero = Condition.equal
    /// Alias of ``notEqual``: ZF = 0.
    public static let notZero = Condition.notEqual
    /// Alias of ``below``: CF = 1.
    public static let carry = Condition.below
    /// Alias of ``aboveOrEqual``: CF = 0.
    public static let noCarry = Condition.aboveOrEqual
}
