class Point
  def initialize(x, y)
    @x = x
    @y = y
  end
  def x
    @x
  end
  def y
    @y
  end
  def sum
    @x + @y
  end
  def move(dx)
    @x += dx
    self
  end
  def unset
    @never_set
  end
end
pt = Point.new(3, 4)
p pt.x
p pt.y
p pt.sum
p pt.move(10).x
p pt.sum
p pt.unset
other = Point.new(1, 1)
p other.sum
p pt.sum
