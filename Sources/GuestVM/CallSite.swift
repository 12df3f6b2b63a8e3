/// One call site's static description and inline cache. Plain data in the ISEQ's call-site buffer
/// (stable address for the lifetime of the ISEQ), so JIT code can read and write it directly.
///
/// The cache is valid when `cachedSerial == vm.methodSerial` and the receiver's class is
/// `cachedClass`; any method definition or removal bumps the serial, invalidating every cache.
public struct CallSite {
    /// Method name (symbol id).
    public var methodID: Int
    /// Number of positional arguments pushed.
    public var argc: Int
    /// The literal block attached to the call (an `ISeq` owned by the ISEQ's children), or nil.
    public var blockISeq: UnsafeMutableRawPointer?
    /// `CallSite.Flags` bits.
    public var flags: Int
    public var cachedClass: UInt64 = 0
    public var cachedSerial: UInt64 = 0
    /// `Unmanaged<MethodEntry>` of the cached target; only valid while the serial matches.
    public var cachedEntry: UnsafeMutableRawPointer?

    public enum Flags {
        /// Implicit receiver (`foo(1)`): private methods allowed.
        public static let implicitSelf = 1
        /// No arguments and no parentheses: `foo` may have meant a local variable (NameError message).
        public static let variableLike = 2
    }

    public init(methodID: Int, argc: Int, blockISeq: UnsafeMutableRawPointer?, flags: Int) {
        self.methodID = methodID
        self.argc = argc
        self.blockISeq = blockISeq
        self.flags = flags
    }
}
