class Node
  def initialize(value, rest)
    @value = value
    @rest = rest
  end
  def value
    @value
  end
  def rest
    @rest
  end
end
class List
  def initialize
    @head = nil
    @size = 0
  end
  def prepend(v)
    @head = Node.new(v, @head)
    @size += 1
    self
  end
  def each
    node = @head
    until node == nil
      yield node.value
      node = node.rest
    end
  end
  def to_a
    out = []
    each { |v| out << v }
    out
  end
  def size
    @size
  end
  def sum
    total = 0
    each { |v| total += v }
    total
  end
end
l = List.new
5.times { |i| l.prepend(i * i) }
p l.to_a
p l.size
p l.sum
p List.new.to_a
