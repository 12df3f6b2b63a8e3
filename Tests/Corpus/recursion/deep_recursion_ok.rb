# 10,000 guest frames must work (Ruby needs RUBY_THREAD_VM_STACK_SIZE raised for this; scripts/corpus-expected sets it).
def down(n)
  return 0 if n == 0
  1 + down(n - 1)
end
p down(10_000)
def sum_to(n)
  n == 0 ? 0 : n + sum_to(n - 1)
end
p sum_to(10_000)
def deep_block(n)
  return :bottom if n == 0
  r = nil
  1.times { r = deep_block(n - 1) }
  r
end
p deep_block(2_000)
