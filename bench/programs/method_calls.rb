# Inside a method: the JIT compiles methods, not the top level.
def add_one(x)
  x + 1
end
def run(n)
  i = 0
  sum = 0
  while i < n
    sum = add_one(sum)
    i += 1
  end
  sum
end
puts run(10_000_000)
