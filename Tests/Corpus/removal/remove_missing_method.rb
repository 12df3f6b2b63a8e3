class Nothing
end
begin
  Nothing.remove_method(:absent)
  puts "removed?"
rescue => e
  puts "cannot remove absent"
end
class Nothing
  def present
    1
  end
end
Nothing.remove_method(:present)
begin
  Nothing.remove_method(:present)
rescue => e
  puts "cannot remove twice"
end
