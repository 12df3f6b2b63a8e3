# :c_call and :c_return: builtins, the operators the interpreter inlines, attribute accessors, and the
# block-taking methods that are C functions in Ruby 3.1 (the subset writes them in its prelude).
class Point
  attr_reader :x
  attr_accessor :y

  def initialize(x, y)
    @x = x
    @y = y
  end
end

class Plain
end

log = []
trace = TracePoint.new(:call, :return, :c_call, :c_return) { |tp| log << [tp.event, tp.method_id] }

a = [3, 1, 2]
trace.enable
s = 1 + 2
t = s * 3 - 1
u = s < t
v = !u
w = (s != 3)
pt = Point.new(1, 2)
pt.y = pt.x + 10
Plain.new
a[0]
a.size
b = a.map { |e| e * 2 }
a.each { |e| e }
3.times { |i| i }
a.select { |e| e > 1 }
total = a.inject(0) { |sum, e| sum + e }
a.each_with_index { |e, i| e }
a.find { |e| e == 1 }
a.sum
a.sort
"ab".upcase
[1, 2] == [1, 2]
trace.disable

log.each { |e| p e }
p [s, t, u, v, w, pt.y, b, total]
