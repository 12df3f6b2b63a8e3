a = [3, 1, 4, 1, 5]
a.each do |x|
  puts x
end
sum = 0
a.each { |x| sum += x }
p sum
r = a.each { |x| x * 2 }
p r
[].each { |x| puts "never" }
[[1, 2], [3]].each { |inner| p inner }
count = 0
[1, 2, 3].each do |x|
  [10, 20].each { |y| count += x * y }
end
p count
