# A hook reads and writes the locals of the code that made it (while that code runs), and a TracePoint
# made inside a method keeps working after the method returned.
def fib(n)
  n < 2 ? n : fib(n - 1) + fib(n - 2)
end

calls = 0
deepest = 0
depth = 0
tp = TracePoint.new(:call, :return) do |t|
  if t.event == :call
    calls += 1
    depth += 1
    deepest = depth if depth > deepest
  else
    depth -= 1
  end
end
tp.enable
fib(6)
tp.disable
p [calls, deepest, depth]

def make_tracer(into)
  TracePoint.new(:call) { |t| into << t.method_id }
end

names = []
tracer = make_tracer(names)
tracer.enable
fib(2)
tracer.disable
p names
