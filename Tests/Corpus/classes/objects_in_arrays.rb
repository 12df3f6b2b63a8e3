class Item
  def initialize(v)
    @v = v
  end
  def v
    @v
  end
end
items = []
5.times { |i| items << Item.new(i * i) }
total = 0
items.each { |it| total += it.v }
p total
p items.size
p items[2].v
p items.pop.v
p items.size
