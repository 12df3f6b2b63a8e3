/// A guest exception (or `break`/`return` out of a block, as an `RThrow`) propagating through native
/// Swift code: out of `VM.execute`, through builtins and the C API. Inside the interpreter loop the same
/// object travels by catch table instead.
public struct GuestError: Error {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}
