# corpus: timeout 120
i = 0
sum = 0
while i < 1_000_000
  sum += i % 7
  i += 1
end
p sum
count = 0
200_000.times { |k| count += 1 if k % 3 == 0 }
p count
