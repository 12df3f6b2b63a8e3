class Temp
  def keep
    :kept
  end
  def drop
    :dropped
  end
  remove_method(:drop)
end
t = Temp.new
p t.keep
begin
  t.drop
  puts "still there"
rescue NoMethodError
  puts "drop was removed"
end
