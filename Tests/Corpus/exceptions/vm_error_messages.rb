begin
  10 / 0
rescue ZeroDivisionError => e
  puts e.message
end
begin
  10 % 0
rescue ZeroDivisionError => e
  puts e.message
end
begin
  1 + "a"
rescue TypeError => e
  puts e.message
end
begin
  "a" + 1
rescue TypeError => e
  puts e.message
end
begin
  nil.foo
rescue NoMethodError => e
  puts e.message
end
begin
  5.bar(1)
rescue NoMethodError => e
  puts e.message
end
def needs_one(a)
  a
end
begin
  needs_one
rescue ArgumentError => e
  puts e.message
end
