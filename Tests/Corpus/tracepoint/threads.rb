# Events fire on every thread: threads started while tracing, and a thread already spinning in a loop
# (compiled under --call-threshold 1) when another thread enables tracing.
def foo(x)
  x * 2
end

def spin_then_call(k)
  $started = true
  i = 0
  i += 1 until $go
  foo(k)
end

log = []
lock = Mutex.new
tp = TracePoint.new(:call, :return) { |t| lock.synchronize { log << "#{t.event} #{t.method_id}" } }

tp.enable
values = [1, 2, 3].map { |i| Thread.new(i) { |k| foo(k) } }.map { |t| t.value }
tp.disable
p values
p log.sort

log = []
$started = false
$go = false
worker = Thread.new { spin_then_call(5) }
Thread.pass until $started
tp.enable
$go = true
v = worker.value
tp.disable
p v
p log.sort
