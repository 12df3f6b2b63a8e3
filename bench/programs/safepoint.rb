# Time to safepoint: THREADS workers run a compiled loop calling a method while the main thread stops
# the world STOPS times (a method redefinition, then a code collection, each one stop). Run by
# scripts/bench-safepoint, which substitutes THREADS and STOPS.
def callee(x)
  x + 1
end

def spin
  s = 0
  while !$done
    i = 0
    while i < 1000
      s += callee(i)
      i += 1
    end
  end
  s
end

$done = false
workers = []
THREADS.times { workers << Thread.new { spin } }
def pause
  k = 0
  k += 1 while k < 20000 # lets the workers get back into their loops before the next stop
end

j = 0
while j < STOPS
  pause
  eval("def callee(x); x + 1; end", TOPLEVEL_BINDING)
  pause
  JIT.code_gc
  j += 1
end
$done = true
workers.each { |t| t.join }
p JIT.stat(:safepoint_stop_count) >= STOPS
