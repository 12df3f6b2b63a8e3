# subset: differs from Ruby: syntax errors are reported as file:line:col: message
puts "parsed before running, so nothing prints"
x = )
puts x
