def two(a, b)
  a + b
end
begin
  two(1)
rescue ArgumentError => e
  puts e.message
end
begin
  two(1, 2, 3)
rescue ArgumentError => e
  puts e.message
end
def none
  :ok
end
begin
  none(1)
rescue ArgumentError => e
  puts e.message
end
p two(1, 2)
