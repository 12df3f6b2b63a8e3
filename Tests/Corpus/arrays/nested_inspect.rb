p []
p [1]
p [1, [2, [3, [4]]]]
p [nil, true, false]
p ["str", 'q"uote', :sym, -1]
p [[], [[]]]
x = [1, 2]
y = [x, x]
p y
puts [1, [2, [3]]]
puts []
puts [nil]
print [1, "a"], "\n"
