# Hooks that recurse deeply, disable themselves, enable another TracePoint, run across Fiber switches,
# and `break` (LocalJumpError, as in Ruby).
def rec(n); n == 0 ? 0 : 1 + rec(n - 1); end
$c = 0
tp = TracePoint.new(:call, :c_call) { |t| $c += 1 }
tp.enable
p rec(5000)
tp.disable
p $c > 5000

t2 = TracePoint.new(:call) { |t| t.disable; $after = t.enabled? }
t2.enable
rec(1)
p $after, t2.enabled?

inner = TracePoint.new(:call) { |t| $inner = (($inner || 0) + 1) }
outer = TracePoint.new(:call) { |t| inner.enable }
outer.enable
rec(2)
outer.disable
inner.disable
p $inner

f = Fiber.new { |x| rec(2); Fiber.yield(x + 1); rec(1); :done }
$fe = []
tf = TracePoint.new(:call, :return) { |t| $fe << t.method_id }
tf.enable
a = f.resume(1)
b = f.resume
tf.disable
p a, b, $fe

br = TracePoint.new(:call) { |t| break if t.method_id == :rec }
br.enable
begin
  rec(1)
rescue LocalJumpError => e
  p e.class
end
br.disable
