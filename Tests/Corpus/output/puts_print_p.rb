puts "one"
puts "two", "three"
puts 4
puts
puts nil
puts ""
print "no newline"
print "\n"
print "a", "b", 1, nil, :c, "\n"
print true, false, "\n"
p "p string"
p 5, "six", :seven
p
r = p(8)
p r
r2 = puts("x")
p r2
puts "ends with newline\n"
puts "two newlines\n\n"
