# subset: differs from Ruby: syntax errors are reported as file:line:col: message
x = 1
puts "value: #{x + }"
