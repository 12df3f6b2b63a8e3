def implicit
  1
  2
end
def explicit
  return 3
  4
end
def bare
  return
end
def early(n)
  while true
    return n * 2 if n > 5
    n += 1
  end
end
def from_block(list)
  list.each { |x| return x if x > 1 }
  :none
end
p implicit
p explicit
p bare
p early(1)
p from_block([1, 2, 3])
p from_block([0])
def empty_method
end
p empty_method
