x = "top"
def no_outer_access
  x = "inside"
  x
end
p no_outer_access
p x
def counter(n)
  c = 0
  while c < n
    c += 1
  end
  c
end
p counter(3)
p counter(5)
def shadow(x)
  x += 1
  x
end
y = 10
p shadow(y)
p y
