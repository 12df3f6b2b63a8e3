# subset: differs from Ruby: syntax errors are reported as file:line:col: message
[1, 2].each do |x|
  puts x
