import GuestJIT
import Testing

/// Operand-stack slots that copy a local or hold a constant stay unwritten until used (`LazySlot`): side
/// exits must write them so the interpreter resumes with the exact stack, assignments must not change a
/// pending copy, and folded constants must keep Integer semantics. Each program runs interpreted and
/// compiled (`--call-threshold 1`), and the outputs must match the expected text.
@Suite("Compiled code keeps locals and constants out of the stack until used", .serialized)
struct LazyOperandTests {
    static func both(_ source: String) throws -> (interpreted: String, compiled: String, exits: Int) {
        let (interpreted, _) = try GuestRun.output(source, jit: nil)
        let (compiled, jit) = try GuestRun.output(source, jit: GuestRun.eager)
        return (interpreted, compiled, try #require(jit?.stat("side_exit_count")))
    }

    @Test func aSideExitWritesThePendingSlotsUnderItsOperands() throws {
        // `a + b` exits on Arrays; the copies of `a` and `b` below it (four and six pending slots, past
        // the pending limit) are on the stack the interpreter resumes with, and go into the Array.
        let run = try Self.both("""
        def three(a, b)
          [a, b, a + b]
        end
        def six(a, b)
          [a, b, 7, b, a, a + b]
        end
        p three(3, 4), six(3, 4)
        p three([1], [2]), six([1], [2])
        """)
        #expect(run.interpreted == "[3, 4, 7]\n[3, 4, 7, 4, 3, 7]\n[[1], [2], [1, 2]]\n[[1], [2], 7, [2], [1], [1, 2]]\n")
        #expect(run.compiled == run.interpreted)
        #expect(run.exits >= 2)
    }

    @Test func assigningALocalKeepsTheValueAPendingCopyHad() throws {
        // `x + (x = 5)` reads x before assigning it: the pending copy is written before the store.
        let run = try Self.both("""
        def reassign(x)
          x + (x = 5)
        end
        def chain(x)
          y = x
          x = y + 1
          [x, y, x - y]
        end
        p reassign(1), reassign(2), chain(10)
        """)
        #expect(run.interpreted == "6\n7\n[11, 10, 1]\n")
        #expect(run.compiled == run.interpreted)
    }

    @Test func localsABlockCanAssignAreCheckedAgainAfterACall() throws {
        // `m` is a known fixnum before the call, but the block the callee yields to makes it a boxed Integer (past the fixnum range):
        // with a block in the method, what compiled code knows about locals does not survive calls.
        let run = try Self.both("""
        def set_it
          yield
        end
        def captured(n)
          m = n + 1
          set_it { m = 4611686018427387903 + 10 }
          m + 1
        end
        p captured(1), captured(2)
        """)
        #expect(run.interpreted == "4611686018427387914\n4611686018427387914\n")
        #expect(run.compiled == run.interpreted)
    }

    @Test func foldedConstantsKeepIntegerSemantics() throws {
        // Constant operands folded into `add`/`sub`/`cmp` on tagged words: negative constants, overflow
        // past the fixnum range (an exit to the interpreter's Integer arithmetic), comparisons both ways.
        let run = try Self.both("""
        def arith(a)
          [a + 1, a - 1, a + -3, a - -3, 2 - a, a * 3]
        end
        def big(a)
          a + 4611686018427387903
        end
        def compare(a)
          [a < 10, a <= 10, a > -10, a >= 10, a == 10, a != 10, 10 < a]
        end
        def pick(a)
          if a < 2
            a
          else
            :big
          end
        end
        p arith(5), arith(-5)
        p big(1), big(-5), big(0)
        p compare(10), compare(-20)
        p pick(1), pick(5)
        """)
        #expect(run.interpreted == """
        [6, 4, 2, 8, -3, 15]
        [-4, -6, -8, -2, 7, -15]
        4611686018427387904
        4611686018427387898
        4611686018427387903
        [false, true, true, true, true, false, false]
        [true, true, false, false, false, true, false]
        1
        :big

        """)
        #expect(run.compiled == run.interpreted)
    }

    @Test func aForwardJumpToLeaveReturnsTheValueWhereItIs() throws {
        // `if` arms end in a jump to the method's `leave`: compiled, each arm returns itself, with its
        // value still a pending local or constant (written by the exit when the frame returns to the
        // interpreter, as the outermost call here does).
        let run = try Self.both("""
        def choose(c, x)
          if c
            x
          else
            7
          end
        end
        def twice(c)
          choose(c, 3) + choose(!c, 4)
        end
        p choose(true, 1), choose(false, 1), twice(true), twice(false)
        """)
        #expect(run.interpreted == "1\n7\n10\n11\n")
        #expect(run.compiled == run.interpreted)
    }
}
