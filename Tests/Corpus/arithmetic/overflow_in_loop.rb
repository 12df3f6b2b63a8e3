# subset: differs from Ruby: repeated doubling overflows 64 bits and raises "integer overflow" (Ruby promotes to Bignum)
n = 1
steps = 0
begin
  while true
    n = n * 2
    steps += 1
  end
rescue => e
  puts e.message
end
p steps
p n
def fact(k)
  k <= 1 ? 1 : k * fact(k - 1)
end
p fact(20)
begin
  p fact(21)
rescue => e
  puts "fact(21): #{e.message}"
end
