def risky(kind)
  if kind == 1
    1 / 0
  elsif kind == 2
    nil.boom
  elsif kind == 3
    1 + "a"
  else
    raise "plain"
  end
end
4.times do |i|
  begin
    risky(i + 1)
  rescue ZeroDivisionError
    puts "#{i}: ZeroDivisionError"
  rescue NoMethodError
    puts "#{i}: NoMethodError"
  rescue TypeError
    puts "#{i}: TypeError"
  rescue RuntimeError => e
    puts "#{i}: RuntimeError #{e.message}"
  end
end
begin
  begin
    1 / 0
  rescue NoMethodError
    puts "wrong clause"
  end
rescue ZeroDivisionError
  puts "propagated to outer"
end
begin
  raise "std"
rescue StandardError => e
  puts "StandardError catches " + e.message
end
