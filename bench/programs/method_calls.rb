def add_one(x)
  x + 1
end
i = 0
sum = 0
while i < 10_000_000
  sum = add_one(sum)
  i += 1
end
puts sum
