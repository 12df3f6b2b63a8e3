# Bad arguments raise like Ruby; accessors outside a hook raise "access from outside"; an exception
# raised by a hook comes out of the traced call (at :call, before the method body runs).
def show
  yield
rescue => e
  p [e.class, e.message]
end

show { TracePoint.new(:call, :nonsense) { } }
show { TracePoint.new(:call) }
idle = TracePoint.new(:call) { }
show { idle.event }
show { idle.method_id }
show { idle.return_value }

def traced
  $ran = true
  :body_ran
end

$ran = false
at_call = TracePoint.new(:call) { |t| t.return_value if t.method_id == :traced }
at_call.enable
show { traced }
at_call.disable
p $ran

at_return = TracePoint.new(:return) { |t| raise ArgumentError, "from the hook" if t.method_id == :traced }
at_return.enable
show { traced }
at_return.disable
p $ran
p traced
