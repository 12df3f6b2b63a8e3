# Churn with a fiber asleep inside compiled code: the fiber's page stays pinned across the
# collections that free everything around it, and is freed by the first GC after the fiber ends.
def sleeper
  Fiber.yield 1
  2
end
f = Fiber.new { sleeper + 40 }
f.resume
eval("def sleeper; 0; end")
i = 0
while i < 2000
  eval("def test; #{i}; end")
  test
  puts f.resume if i == 1000
  i += 1
end
