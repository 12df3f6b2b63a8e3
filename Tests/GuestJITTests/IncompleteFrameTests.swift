import GuestJIT
import Testing

/// A cached call leaves its callee frame incomplete (no ISEQ, method entry, cref or flags; the caller's pc
/// and sp unsaved) until Swift needs it (`IncompleteFrames`). Each program here makes Swift read frames
/// pushed that way, several deep, through a different door: a raise's backtrace and its rescue (the
/// caller's pc picks the handler), a side exit that hands the callee to the interpreter, a cfunc that
/// reads its caller's frame, a code collection and a stack dump. Each must print what the interpreter
/// prints.
@Suite("Frames cached calls push are whole whenever Swift reads them")
struct IncompleteFrameTests {
    static func expectSameAsInterpreter(_ source: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (interpreted, _) = try GuestRun.output(source, jit: nil)
        let (compiled, jit) = try GuestRun.output(source, jit: GuestRun.eager)
        #expect(compiled == interpreted, sourceLocation: sourceLocation)
        #expect((jit?.stat("compiled_iseq_count") ?? 0) > 0, sourceLocation: sourceLocation)
    }

    @Test func aBacktraceThroughCachedCallsNamesEveryFrameAtItsLine() throws {
        // The first round fills the call caches; in the second every `down` below the first is a cached
        // call, and the raise at the bottom walks them all.
        try Self.expectSameAsInterpreter("""
        def down(n)
          if n == 0
            raise "bottom"
          else
            down(n - 1) + 1
          end
        end
        def top(n)
          down(n)
        end
        2.times do
          begin
            top(4)
          rescue => e
            puts e.backtrace
          end
        end
        """)
    }

    @Test func aRescueInACompiledCallerFindsItsHandlerFromTheSavedPC() throws {
        try Self.expectSameAsInterpreter("""
        def risky(n)
          raise "no" if n == 0
          risky(n - 1) + 1
        end
        def safe(n)
          x = 10
          begin
            x = risky(n)
          rescue => e
            x = -x
          end
          x
        end
        p safe(3)
        p safe(3)
        p safe(0)
        p safe(5)
        """)
    }

    @Test func aSideExitInACachedCalleeResumesEveryFrameInTheInterpreter() throws {
        // At the bottom `v + v` side-exits (a String): the interpreter finishes the bottom frame from the
        // pc its exit saved, and each caller from the pc completion saved for it.
        try Self.expectSameAsInterpreter("""
        def walk(n, v)
          if n == 0
            v + v
          else
            walk(n - 1, v)
          end
        end
        p walk(5, 1)
        p walk(5, 1)
        p walk(5, "ab")
        p walk(5, 2)
        """)
    }

    @Test func cfuncsCollectionsAndStackDumpsAtTheBottomOfCachedCallsSeeWholeFrames() throws {
        // `block_given?` reads its caller's frame; `JIT.code_gc` walks every frame's `jitReturn` and the
        // collection pins the blocks; `caller_line` prints the backtrace of a fresh exception.
        try Self.expectSameAsInterpreter("""
        def caller_line
          raise "here"
        rescue => e
          e.backtrace[1]
        end
        def deep(n)
          if n == 0
            JIT.code_gc
            [block_given?, caller_line]
          else
            deep(n - 1)
          end
        end
        p deep(3)
        p deep(6)
        """)
    }

    @Test func recursionTenThousandDeepThatRaisesAtTheBottomCompletesEveryFrameOnce() throws {
        try Self.expectSameAsInterpreter("""
        def sum(n)
          raise "bottom" if n == 0
          sum(n - 1) + n
        end
        sum(3) rescue p :filled
        begin
          sum(10_000)
        rescue => e
          p e.backtrace.size
          p e.backtrace.last(2)
        end
        """)
    }
}
