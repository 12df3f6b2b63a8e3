i = 0
while i < 3
  j = 0
  while true
    break if j == 2
    puts "#{i},#{j}"
    j += 1
  end
  i += 1
end
found = nil
[[1, 2], [3, 4], [5, 6]].each do |row|
  row.each do |v|
    if v == 4
      found = v
      break
    end
  end
  break if found
end
p found
