# subset: differs from Ruby: syntax errors are reported as file:line:col: message
puts "ok"
puts "never closed
