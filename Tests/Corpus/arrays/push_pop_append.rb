a = []
a << 1
a << 2 << 3
p a
a.push(4)
p a.push(5)
p a.size
p a.pop
p a.pop
p a
e = []
p e.pop
p e.size
e.push("s")
e << :sym << nil
p e
