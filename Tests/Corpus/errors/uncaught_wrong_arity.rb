def one(a)
  a
end
one(1, 2)
