a = [1]
b = a
b << 2
p a
def add_to(list, v)
  list.push(v)
end
add_to(a, 3)
p b
p a.size
