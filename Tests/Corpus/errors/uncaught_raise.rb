puts "start"
raise "boom from top level"
puts "never"
