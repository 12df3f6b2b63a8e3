# An exception the fiber does not rescue comes out of resume; the fiber is dead afterwards.
f = Fiber.new do
  Fiber.yield 1
  raise ArgumentError, "inside"
end
p f.resume
begin
  f.resume
rescue ArgumentError => e
  p e.message
end
p f.alive?
# Rescued inside the fiber: it goes on.
g = Fiber.new do
  begin
    raise "oops"
  rescue => e
    Fiber.yield e.message
  end
  :after
end
p g.resume
p g.resume
