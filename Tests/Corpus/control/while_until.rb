i = 0
while i < 3
  puts "while #{i}"
  i += 1
end
j = 3
until j == 0
  puts "until #{j}"
  j -= 1
end
r = while false
end
p r
k = 0
while true
  k += 1
  next if k % 2 == 1
  break if k > 6
  puts "even #{k}"
end
n = 0
total = 0
until n >= 100
  n += 1
  total += n
end
p total
