class Holder
  def initialize
    @items = []
  end
  def add(x)
    @items << x
    self
  end
  def items
    @items
  end
  def me
    self
  end
  def same?
    me == self
  end
end
h = Holder.new
h.add(1).add(2)
p h.items
p h.same?
other = Holder.new
p other.items
@top_ivar = "top-level ivar"
puts @top_ivar
p @unset_top
