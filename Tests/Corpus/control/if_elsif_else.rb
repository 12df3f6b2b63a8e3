def classify(n)
  if n < 0
    "negative"
  elsif n == 0
    "zero"
  elsif n < 10
    "small"
  else
    "large"
  end
end
puts classify(-3)
puts classify(0)
puts classify(7)
puts classify(100)
x = if false
  1
end
p x
v = if 1
  :truthy
else
  :falsy
end
p v
if nil
  puts "nil is truthy?"
else
  puts "nil is falsy"
end
if 0
  puts "0 is truthy"
end
