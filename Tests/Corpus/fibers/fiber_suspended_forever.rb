# The seed's example, bounded: a fiber suspended for good while the rest of the program keeps working.
fiber = Fiber.new do
  puts "In Fiber 1"
  Fiber.yield
  puts "In Fiber 1 again"
end
fiber.resume
i = 0
loop do
  eval("def work; #{i}; end", TOPLEVEL_BINDING)
  i += work
  break if i > 1000
  i += 1
end
p i
p fiber.alive?
