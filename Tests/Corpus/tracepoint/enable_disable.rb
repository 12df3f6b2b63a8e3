# enable/disable results, enabled?, block forms, hook order of several TracePoints (the most recently
# enabled runs first), and the events TracePoint's own methods fire (they are Ruby methods in Ruby 3.1:
# the first enable that instruments methods misses its own :return, later ones do not).
log = []
def work
  1
end

first = TracePoint.new(:call, :return) { |tp| log << [:first, tp.event, tp.method_id] }
second = TracePoint.new(:call, :return) { |tp| log << [:second, tp.event, tp.method_id] }

p first.enabled?
p first.enable
p first.enable
p first.enabled?
work
second.enable
work
p second.disable
p second.disable
work
p first.disable
p first.enabled?
log.each { |e| p e }

log.clear
p first.enable { work; :block_value }
p first.enabled?
first.enable
p first.disable { work; :paused }
p first.enabled?
first.disable
log.each { |e| p e }

only_c = TracePoint.new(:c_return) { |tp| log << [:c, tp.event, tp.method_id, tp.return_value] }
log.clear
only_c.enable
x = 40 + 2
only_c.disable
log.each { |e| p e }
p x
p first
