def forever(n)
  forever(n + 1)
end
begin
  forever(0)
rescue SystemStackError => e
  puts e.message
end
def down(n)
  return 0 if n == 0
  1 + down(n - 1)
end
begin
  down(1_000_000)
rescue SystemStackError => e
  puts "deep: " + e.message
end
p down(100)
puts "still running"
