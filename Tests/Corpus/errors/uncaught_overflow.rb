# subset: differs from Ruby: 64-bit Integer overflow raises "integer overflow" (Ruby promotes to Bignum)
puts "before"
p 9223372036854775807 + 1
