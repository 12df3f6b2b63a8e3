# break in a block that another block forwards to ends the call the block was written on.
def inner_each
  [1, 2, 3].each { |x| yield x }
  :inner_done
end
def outer_each
  r = inner_each { |x| yield x * 10 }
  [:outer_done, r]
end
v = outer_each do |x|
  puts "saw #{x}"
  break :broke if x == 20
end
p v
w = outer_each { |x| x }
p w
