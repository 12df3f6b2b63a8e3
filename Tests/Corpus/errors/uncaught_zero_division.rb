x = 0
p 10 / x
