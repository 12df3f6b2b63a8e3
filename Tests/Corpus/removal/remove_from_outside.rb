class Widget
  def spin
    :spinning
  end
end
w = Widget.new
p w.spin
Widget.remove_method(:spin)
begin
  w.spin
rescue NoMethodError
  puts "spin removed"
end
class Widget
  def spin
    :spinning_again
  end
end
p w.spin
