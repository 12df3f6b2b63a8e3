begin
  raise "first"
rescue => e
  puts e.message
end
begin
  puts "before"
  raise "second"
  puts "not reached"
rescue RuntimeError => e
  puts "RuntimeError: " + e.message
end
r = begin
  raise "value"
rescue
  :rescued_value
end
p r
r2 = begin
  :no_error
rescue
  :unused
end
p r2
def fails
  raise "from method"
end
begin
  fails
rescue => e
  puts e.message
end
