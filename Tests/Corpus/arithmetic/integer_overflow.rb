# subset: differs from Ruby: Integer is 64-bit here and overflow raises "integer overflow" (Ruby promotes to Bignum)
max = 9223372036854775807
min = -9223372036854775807 - 1
p max
p min
begin
  p max + 1
rescue => e
  puts "add: #{e.message}"
end
begin
  p min - 1
rescue => e
  puts "sub: #{e.message}"
end
begin
  p 4_000_000_000 * 4_000_000_000
rescue => e
  puts "mul: #{e.message}"
end
begin
  p -min
rescue => e
  puts "neg: #{e.message}"
end
begin
  p min / -1
rescue => e
  puts "div: #{e.message}"
end
x = max - 1
x += 1
p x
begin
  x += 1
rescue => e
  puts "+=: #{e.message}"
end
p x
p max - 1 + 1
