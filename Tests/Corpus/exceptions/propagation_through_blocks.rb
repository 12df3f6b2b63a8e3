def each_twice(list)
  list.each { |x| yield x }
  list.each { |x| yield x }
end
seen = []
begin
  each_twice([1, 2, 3]) do |x|
    seen << x
    raise "stop at #{x}" if seen.size == 4
  end
rescue => e
  puts e.message
end
p seen
def deep(n)
  n == 0 ? raise("bottom") : deep(n - 1)
end
begin
  deep(50)
rescue => e
  puts "from depth: " + e.message
end
count = 0
3.times do
  begin
    count += 1
    raise "again" if count < 3
  rescue
    puts "retry-less rescue #{count}"
  end
end
p count
