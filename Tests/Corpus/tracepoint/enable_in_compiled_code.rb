# Tracing switched on and off from inside methods that run many times (compiled by the JIT under
# --call-threshold 1): by a builtin calling back into a block that enables it (the builtin's c_return
# must still fire, and the compiled caller must continue with events), by eval, and by enable itself.
$log = []
$tp = TracePoint.new(:call, :return, :c_call, :c_return) { |t| $log << [t.event, t.method_id] }

def helper(x)
  x + 1
end

def via_block(n)
  total = [1, 2].inject(0) { |sum, e| $tp.enable if e == n; sum + e }
  helper(total)
end

def via_eval
  eval("$tp.enable", TOPLEVEL_BINDING)
  helper(2)
end

def direct
  $tp.enable
  helper(3)
end

def quiet(k)
  i = 0
  s = 0
  while i < k
    s += helper(i)
    i += 1
  end
  s
end

# Warm up: each method runs enough to be compiled, then enables tracing on its last call.
5.times { quiet(3) }
3.times { |round| via_block(round == 2 ? 2 : 9); $tp.disable }
$log.each { |e| p e }

$log = []
3.times { via_eval; $tp.disable }
$log.each { |e| p e }

$log = []
3.times { direct; $tp.disable }
$log.each { |e| p e }

# Tracing off again: methods compile and run as before.
p quiet(100)
$log = []
$tp.enable
r = quiet(3)
$tp.disable
p r
$log.each { |e| p e }
