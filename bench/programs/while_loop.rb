# Inside a method: the JIT compiles methods, not the top level.
def run(n)
  i = 0
  while i < n
    i += 1
  end
  i
end
puts run(50_000_000)
