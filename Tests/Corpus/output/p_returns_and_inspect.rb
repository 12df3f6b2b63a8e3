x = p [1, "two"]
p x
y = p 1, 2
p y
z = p
p z
puts :symbol
p :symbol
puts "with \"quotes\""
p "with \"quotes\""
puts 'single \\ backslash'
p 'single \\ backslash'
