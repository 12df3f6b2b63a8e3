# subset: differs from Ruby: under :c_call/:c_return Ruby 3.1 also shows calls its C code makes inside
# some builtins, which the subset's builtins do not make: puts/print/p call IO#puts, #write and #to_s /
# #inspect, raise calls Exception#initialize/#exception/#backtrace, and `rescue` calls Module#===.
# Events the subset has no counterpart for (:line, :b_call, :raise, ...) are an ArgumentError, and so is
# TracePoint.new without events (Ruby then traces every event). Guest methods, builtins called by the
# program, operators, accessors and block-taking builtins fire exactly as in Ruby (see the other files).
log = []
tp = TracePoint.new(:c_call, :c_return) { |t| log << [t.event, t.method_id] }
tp.enable
puts "hello"
p 1
print "x\n"
begin
  raise "boom"
rescue RuntimeError
end
tp.disable
log.each { |e| p e }

begin
  TracePoint.new(:line) { }
rescue ArgumentError => e
  p e.message
end
begin
  TracePoint.new { }
rescue ArgumentError => e
  p e.message
end
