import Glibc
import GuestVM
import Testing

/// What a VM made, held weakly: all of it must be gone once the last reference to the VM is.
/// Embedders make a VM per request or per test; anything a cycle keeps alive leaks with every one.
struct VMRemains {
    weak var vm: VM?
    weak var registry: ISeqRegistry?
    weak var program: ISeq?
    weak var objectClass: RClass?
    weak var classClass: RClass?
    weak var userClass: RClass?
    var contexts: [WeakContext] = []

    struct WeakContext {
        weak var context: ExecutionContext?
    }

    init(_ vm: VM, program: ISeq, userClass: String?) {
        self.vm = vm
        registry = vm.iseqs
        self.program = program
        objectClass = vm.objectClass
        classClass = vm.classClass
        if let userClass { self.userClass = vm.objectClass.constants[vm.symbols.id(userClass)]?.object(as: RClass.self) }
        contexts = vm.executionContexts.map { WeakContext(context: $0) }
    }

    /// Names of what is still alive (empty when everything was freed).
    var survivors: [String] {
        var alive: [String] = []
        if vm != nil { alive.append("VM") }
        if registry != nil { alive.append("ISeqRegistry") }
        if program != nil { alive.append("program ISeq") }
        if objectClass != nil { alive.append("Object") }
        if classClass != nil { alive.append("Class") }
        if userClass != nil { alive.append("user class") }
        let contextsAlive = contexts.filter { $0.context != nil }.count
        if contextsAlive > 0 { alive.append("\(contextsAlive) of \(contexts.count) execution contexts") }
        return alive
    }
}

/// Runs `source` in a fresh VM that nothing else references and returns what it made, held weakly. Not
/// inlined: no strong reference may survive in the caller's frame.
@inline(never)
func runInDroppedVM(_ source: String, userClass: String? = nil, expecting output: String) throws -> VMRemains {
    let harness = GuestHarness()
    let program = try harness.vm.compile(source, fileName: "lifetime.rb")
    do {
        _ = try harness.vm.run(program)
    } catch {
        Issue.record("uncaught: \(harness.vm.uncaughtReport(error.value))")
    }
    harness.vm.output.flush()
    #expect(harness.output == output)
    return VMRemains(harness.vm, program: program, userClass: userClass)
}

/// A VM, its classes, ISEQs, registry and execution contexts are freed with the last reference to it
/// (LeakSanitizer found all of them leaking for every VM: the class graph was a reference cycle).
@Suite struct VMLifetimeTests {
    @Test func aVMAndEverythingItMadeAreFreedWhenDropped() throws {
        let remains = try runInDroppedVM("""
        class Greeter
          def initialize(name); @name = name; end
          def greet; "hi " + @name; end
        end
        def twice(x); x * 2; end
        puts Greeter.new("vm").greet
        p [1, 2, 3].map { |v| twice(v) }
        begin
          raise ArgumentError, "caught"
        rescue => e
          puts e.message
        end
        """, userClass: "Greeter", expecting: "hi vm\n[2, 4, 6]\ncaught\n")
        #expect(remains.survivors == [])
    }

    @Test func aVMWhoseFibersFinishedIsFreed() throws {
        let remains = try runInDroppedVM("""
        f = Fiber.new { |a| Fiber.yield(a + 1); :end }
        p f.resume(1)
        p f.resume
        p Fiber.new { :once }.resume
        """, expecting: "2\n:end\n:once\n")
        #expect(remains.survivors == [])
    }

    /// A suspended fiber's native stack is freed without unwinding: nothing on it may retain the VM or the
    /// fiber's context (its stacks are mappings of their own).
    @Test func aVMWithASuspendedFiberIsFreed() throws {
        let remains = try runInDroppedVM("""
        parked = Fiber.new { |x| Fiber.yield(x); :never }
        p parked.resume(:parked)
        """, expecting: ":parked\n")
        #expect(remains.contexts.count == 2)
        #expect(remains.survivors == [])
    }

    /// The native thread holds the VM until it has left it (a moment after `value` returns): wait for that.
    @Test func aVMWhoseThreadsFinishedIsFreed() throws {
        let remains = try runInDroppedVM("""
        m = Mutex.new
        ts = [1, 2, 3].map { |k| Thread.new(k) { |a| m.synchronize { a * 10 } } }
        p ts.map { |t| t.value }
        """, expecting: "[10, 20, 30]\n")
        let deadline = ContinuousClock.now + .seconds(10)
        while remains.vm != nil && ContinuousClock.now < deadline { usleep(1000) }
        #expect(remains.survivors == [])
    }

    @Test func aVMThatTracedIsFreed() throws {
        let remains = try runInDroppedVM("""
        def add(a, b); a + b; end
        log = []
        tp = TracePoint.new(:call, :return, :c_call) { |t| log << t.event }
        tp.enable
        add(1, 2)
        tp.disable
        still = TracePoint.new(:call) { |t| }
        still.enable
        p log.size
        """, expecting: "4\n")
        #expect(remains.survivors == [])
    }
}
