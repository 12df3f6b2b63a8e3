import GuestVM
import Testing

/// A VM whose standard output is captured, for running guest programs in tests.
final class GuestHarness {
    let vm: VM
    private(set) var output = ""

    init() {
        vm = VM()
        vm.output.capture = { [unowned self] text in self.output += text }
    }

    /// Runs `source` as a program; returns the uncaught exception's report, or nil.
    @discardableResult
    func run(_ source: String, fileName: String = "test.rb") throws -> String? {
        let iseq = try vm.compile(source, fileName: fileName)
        do {
            _ = try vm.run(iseq)
            return nil
        } catch {
            return vm.uncaughtReport(error.value)
        }
    }

    /// Runs `source` and returns its output, failing the test on an uncaught exception.
    func output(of source: String) throws -> String {
        let before = output.count
        if let report = try run(source) {
            Issue.record("uncaught: \(report)")
        }
        return String(output.dropFirst(before))
    }

    /// Defines the C fixtures (see Tests/CTestFixtures/guest_cfuncs.c) on Object.
    func installCFixtures() {
        var entry = jrGuestFixtures()
        while let name = entry.load(as: UnsafePointer<CChar>?.self) {
            let function = entry.load(fromByteOffset: 8, as: CFunction.self)
            let arity = entry.load(fromByteOffset: 16, as: Int.self)
            vm.defineCFunction(vm.objectClass, String(cString: name), arity: arity, function)
            entry += 24
        }
    }
}

/// The C fixture table (`struct jr_guest_fixture[]`, NULL-name terminated). The fixture file has no header
/// of its own, so the one no-argument function is declared here.
@_silgen_name("jr_guest_fixtures")
func jrGuestFixtures() -> UnsafeRawPointer

/// Runs a program in a fresh VM and returns its output.
func guestOutput(_ source: String) throws -> String {
    try GuestHarness().output(of: source)
}
