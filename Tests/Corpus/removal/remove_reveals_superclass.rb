class Base
  def hi
    "base"
  end
end
class Derived < Base
  def hi
    "derived"
  end
end
d = Derived.new
puts d.hi
Derived.remove_method(:hi)
puts d.hi
Base.remove_method(:hi)
begin
  d.hi
rescue NoMethodError
  puts "gone everywhere"
end
