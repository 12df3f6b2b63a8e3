gen = Fiber.new do
  a = 0
  b = 1
  loop do
    Fiber.yield a
    t = a + b
    a = b
    b = t
  end
end
out = []
10.times { out << gen.resume }
p out
