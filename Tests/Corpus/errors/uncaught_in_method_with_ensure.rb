def inner
  raise "deep failure"
end
def outer
  inner
ensure
  puts "outer ensure ran"
end
begin
  outer
ensure
  puts "top ensure ran"
end
puts "never"
