x = 5
p -x
p(-x + 1)
y = -x
p y
p -(-x)
p -(3 - 10)
p 2 - -3
p(-x * -x)
