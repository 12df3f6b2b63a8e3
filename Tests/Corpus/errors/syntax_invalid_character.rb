# subset: differs from Ruby: syntax errors are reported as file:line:col: message
puts 1
x = 2  3
