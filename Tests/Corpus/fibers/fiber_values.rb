# resume's arguments become the block's parameters, then Fiber.yield's value; yield's arguments are resume's.
f = Fiber.new do |a, b|
  p [a, b]
  c = Fiber.yield(a + b)
  p c
  d = Fiber.yield(1, 2)
  p d
  e = Fiber.yield
  p e
  :done
end
p f.resume(3, 4)
p f.resume(:x)
p f.resume
p f.resume(5, 6)
p f.alive?
begin
  f.resume
rescue FiberError => e
  p e.class
  p e.message
end
begin
  Fiber.yield 1
rescue FiberError => e
  p e.message
end
