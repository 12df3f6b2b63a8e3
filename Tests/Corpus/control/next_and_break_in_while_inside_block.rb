out = []
3.times do |i|
  j = 0
  while j < 5
    j += 1
    next if j == 2
    break if j == 4
    out << i * 10 + j
  end
  next if i == 1
  out << :after
end
p out
