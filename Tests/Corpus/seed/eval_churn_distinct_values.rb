# Each definition returns a different value, so running a stale definition would change the sum.
sum = 0
5_000.times do |i|
  eval("def test; #{i}; end", TOPLEVEL_BINDING)
  v = test()
  raise "stale definition at #{i}" if v != i
  sum += v
end
p sum
