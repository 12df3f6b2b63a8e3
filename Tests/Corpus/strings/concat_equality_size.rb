a = "foo"
b = "bar"
c = a + b
puts c
p c.size
p "".size
p((a + "").size)
p a == "foo"
p a == b
p a + b == "foobar"
p "abc" != "abd"
s = ""
3.times { |i| s = s + i.to_s }
p s
p "a" + "b" + "c"
p "x" == :x
