def add(a, b)
  a + b
end
def square(x)
  x * x
end
def greet
  "hello"
end
p add(1, 2)
p square(add(2, 3))
puts greet
puts greet()
p add 10, 20
puts add(1, 2).to_s + "!"
def three(a, b, c)
  [c, b, a]
end
p three(1, 2, 3)
def uses_self
  self.greet
end
puts uses_self
