# Threads keep calling a method while another thread redefines it (same meaning, new code each time):
# every result is exact. Globals carry the stop flag and the totals.
def callee(x)
  x + 1
end

def loop_calls(n)
  s = 0
  i = 0
  while i < n
    s += callee(i)
    i += 1
  end
  s
end

$stop = false
workers = [0, 1, 2].map do
  Thread.new do
    bad = 0
    rounds = 0
    until $stop
      bad += 1 if loop_calls(300) != 45150
      rounds += 1
    end
    bad
  end
end
bodies = ["x + 1", "1 + x", "x - -1", "(x * 2 - x) + 1"]
redefiner = Thread.new do
  60.times do |j|
    eval("def callee(x); " + bodies[j % 4] + "; end", TOPLEVEL_BINDING)
    loop_calls(10)
  end
  :redefined
end
p redefiner.value
$stop = true
p workers.map { |t| t.value }
p loop_calls(300)
