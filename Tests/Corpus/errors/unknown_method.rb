puts "before"
no_such_method(1, 2)
puts "never"
