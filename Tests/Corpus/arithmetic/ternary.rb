def sign(n)
  n > 0 ? "positive" : n < 0 ? "negative" : "zero"
end
puts sign(5)
puts sign(-5)
puts sign(0)
x = 10
y = x > 5 ? x * 2 : x / 2
p y
p(nil ? 1 : 2)
p(0 ? 1 : 2)
