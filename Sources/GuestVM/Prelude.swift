/// Block-taking core methods written in the subset itself and compiled at boot (as Ruby 3.3 does for
/// `Integer#times`): `yield` and `break` stay plain bytecode, nothing re-enters the interpreter
/// natively, and the JIT compiles them like user code. Backtraces show them like cfuncs.
enum Prelude {
    static let source = """
    class Integer
      def times
        i = 0
        while i < self
          yield(i)
          i += 1
        end
        self
      end

      def upto(limit)
        i = self
        while i <= limit
          yield(i)
          i += 1
        end
        self
      end

      def downto(limit)
        i = self
        while i >= limit
          yield(i)
          i -= 1
        end
        self
      end
    end

    class Array
      def each
        i = 0
        while i < size
          yield(self[i])
          i += 1
        end
        self
      end

      def each_with_index
        i = 0
        while i < size
          yield(self[i], i)
          i += 1
        end
        self
      end

      def map
        result = []
        i = 0
        while i < size
          result << yield(self[i])
          i += 1
        end
        result
      end

      def select
        result = []
        i = 0
        while i < size
          x = self[i]
          result << x if yield(x)
          i += 1
        end
        result
      end

      def reject
        result = []
        i = 0
        while i < size
          x = self[i]
          result << x unless yield(x)
          i += 1
        end
        result
      end

      def find
        i = 0
        while i < size
          x = self[i]
          return x if yield(x)
          i += 1
        end
        nil
      end
    end

    class Object
      def loop
        while true
          yield
        end
        nil
      end
    end
    """

    static func load(into vm: VM) {
        let iseq: ISeq
        do {
            let node = try parseSource(source, fileName: "<internal:prelude>")
            iseq = try Compiler(vm: vm, fileName: "<internal:prelude>", isInternal: true).compileProgram(node)
        } catch {
            // Only while the parser is unavailable: the prelude methods are then missing.
            return
        }
        do {
            _ = try vm.run(iseq)
        } catch {
            fatalError("prelude failed: \(vm.uncaughtReport(error.value))")
        }
        vm.preludeISeq = iseq
    }
}
