# The block reads locals of the frame that created it, even after that frame has returned.
def make(base, step)
  scale = 10
  Fiber.new do
    n = base
    loop do
      Fiber.yield n * scale
      n += step
    end
  end
end
a = make(1, 2)
b = make(100, 1)
p [a.resume, b.resume, a.resume, b.resume, a.resume]
words = ["x", "y"]
f = [1, 2].map { |i| Fiber.new { |s| Fiber.yield(words[i - 1] + s); words.size + i } }
p f.map { |x| x.resume("!") }
p f.map { |x| x.resume }
# Nested fibers: the inner one yields to the outer one, which yields to the main program.
outer = Fiber.new do
  inner = Fiber.new { Fiber.yield :inner_yield; :inner_done }
  Fiber.yield inner.resume
  Fiber.yield inner.resume
  :outer_done
end
p [outer.resume, outer.resume, outer.resume]
