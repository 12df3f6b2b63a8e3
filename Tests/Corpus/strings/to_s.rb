p 42.to_s
p(-42.to_s)
p 0.to_s
p 1_000.to_s
p 9223372036854775807.to_s
s = 7.to_s + 8.to_s
p s
p s.size
puts 123.to_s + "!"
