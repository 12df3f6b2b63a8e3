f = Fiber.new do |x|
  puts "got #{x}"
  y = Fiber.yield(x + 1)
  puts "then #{y}"
  :finished
end
p f.resume(10)
p f.alive?
p f.resume(20)
p f.alive?
