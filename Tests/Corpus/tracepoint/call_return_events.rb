# :call and :return for guest methods: nesting, recursion, singleton methods, initialize, and the value
# each method returns (tp.return_value).
class Shape
  def initialize(side)
    @side = side
  end

  def area
    square(@side)
  end

  def square(x)
    x * x
  end

  def self.unit
    new(1)
  end
end

def fact(n)
  n <= 1 ? 1 : n * fact(n - 1)
end

events = []
trace = TracePoint.new(:call, :return) do |tp|
  if tp.event == :return
    value = tp.return_value
    events << [tp.event, tp.method_id, value.is_a?(Integer) ? value : value.class]
  else
    events << [tp.event, tp.method_id]
  end
end

trace.enable
fact(3)
Shape.new(4).area
Shape.unit.area
trace.disable

events.each { |e| p e }
p events.size
