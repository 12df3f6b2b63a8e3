# Arguments reach the block; threads start threads; values come back through value and join.
def square(x)
  x * x
end

outer = Thread.new(3, 4) do |a, b|
  inner = [a, b].map { |v| Thread.new(v) { |w| square(w) } }
  inner.map { |t| t.value }.sum
end
p outer.value

t = Thread.new { [1, "two", :three, nil] }
p t.join.value
p t.alive?
main = Thread.current
p Thread.new { Thread.current == main }.value
p Thread.current == main
