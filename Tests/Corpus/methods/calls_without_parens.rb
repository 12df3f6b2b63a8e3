def double(x)
  x * 2
end
def pair(a, b)
  [a, b]
end
puts double 4
p pair 1, 2
p double(double 3)
x = double 5
p x
puts "a", "b"
p pair(1, double(2))
def noargs
  :noargs
end
p noargs
y = noargs
p y
