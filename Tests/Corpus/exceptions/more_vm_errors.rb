begin
  1 < "a"
rescue ArgumentError => e
  puts e.message
end
begin
  nil + 1
rescue NoMethodError => e
  puts e.message
end
begin
  [1, 2]["x"]
rescue TypeError => e
  puts e.message
end
begin
  "a" + nil
rescue TypeError => e
  puts e.message
end
begin
  5 * "x"
rescue TypeError => e
  puts e.message
end
begin
  undefined_local_or_method
rescue NameError => e
  puts "NameError caught"
end
begin
  UndefinedConstant
rescue NameError => e
  puts e.message
end
