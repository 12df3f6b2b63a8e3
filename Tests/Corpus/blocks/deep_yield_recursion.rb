# Recursion through blocks: every level calls itself from inside a block and yields upward.
def countdown(n)
  return yield(0) if n == 0
  countdown(n - 1) { |v| yield v + 1 }
end
p countdown(10) { |v| v }
p countdown(2_000) { |v| v * 2 }
