begin
  puts "body"
ensure
  puts "ensure without error"
end
begin
  begin
    raise "inner"
  ensure
    puts "inner ensure"
  end
rescue => e
  puts "outer rescued " + e.message
ensure
  puts "outer ensure"
end
def with_return
  begin
    return :returned
  ensure
    puts "ensure on return"
  end
end
p with_return
i = 0
while true
  begin
    i += 1
    break if i == 2
  ensure
    puts "ensure in loop #{i}"
  end
end
v = begin
  1
ensure
  2
end
p v
