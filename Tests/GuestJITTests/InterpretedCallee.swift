import GuestJIT
import GuestVM
import Testing

/// Test support: a compiled caller whose callees stay interpreted.
///
/// A method whose compilation found no room in the region waits out a backoff: its `callCount` is set
/// negative and it is interpreted until the count reaches the threshold again. `holdInterpreted` puts
/// methods in that state directly, so a test chooses which side of the JIT-to-interpreter boundary each
/// method is on.
enum InterpretedCallee {
    /// Sets the call counts of the top-level methods `names` so that each stays interpreted for its next
    /// `calls` calls (as after `calls` of backoff).
    static func holdInterpreted(_ run: GuestRun, _ names: [String], calls: Int = 1_000_000) throws {
        for name in names {
            let entry = try #require(run.vm.findMethod(run.vm.objectClass, run.vm.symbols.id(name)), "no method \(name)")
            guard case .iseq(let iseq) = entry.body else {
                Issue.record("\(name) is not a Ruby method")
                return
            }
            #expect(iseq.jitEntry == nil, "\(name) is compiled already")
            iseq.callCount = -calls
        }
    }

    /// Runs `definitions`, holds `interpreted` back from compilation, runs `program`; returns the output of
    /// `program` and the JIT (threshold 1: every other method compiles on its first call).
    static func run(_ definitions: String, interpreted: [String], _ program: String,
                    jit configuration: JITConfiguration = GuestRun.eager) throws -> (String, GuestJIT) {
        let run = try GuestRun(jit: configuration)
        let defined = try run.run(definitions)
        try holdInterpreted(run, interpreted)
        let output = try run.run(program)
        return (String(output.dropFirst(defined.count)), try #require(run.jit))
    }

    /// The output of `definitions` + `program` without the JIT.
    static func interpreted(_ definitions: String, _ program: String) throws -> String {
        try GuestRun.output(definitions + program, jit: nil).0
    }
}
