# Builtin classes are open like any other.
class Integer
  def double
    self * 2
  end
end
class String
  def shout
    self + "!"
  end
end
class Array
  def second
    self[1]
  end
end
p 21.double
p "hey".shout
p [1, 2, 3].second
p 5.double.double
