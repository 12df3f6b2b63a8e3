class Counter
  def initialize
    @n = 0
  end
  def incr
    @n += 1
  end
  def incr_twice
    incr
    self.incr
  end
  def value
    @n
  end
  def same_as(other)
    other.value == value
  end
end
c = Counter.new
c.incr
c.incr_twice
p c.value
d = Counter.new
p d.same_as(c)
3.times { d.incr }
p d.same_as(c)
p c.incr_twice
