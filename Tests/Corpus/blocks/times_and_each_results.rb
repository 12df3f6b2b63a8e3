r = 3.times { |i| puts i }
p r
p 0.times { puts "never" }
a = [1, 2]
p(a.each { |x| x })
squares = []
4.times { |i| squares << i * i }
p squares
n = 0
10.times do
  n += 1
end
p n
