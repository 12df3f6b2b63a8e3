i = 0
while i < 50_000_000
  i += 1
end
puts i
