# :return / :c_return also fire for frames left by an exception, by `break` out of a block, and by
# `return` from a block inside a method.
def inner
  raise "boom"
end

def outer
  inner
end

def first_even(list)
  list.each { |x| return x if x.even? }
  nil
end

def with_ensure
  begin
    inner
  ensure
    @cleaned = true
  end
end

log = []
# Ruby's exception machinery calls methods of its own (Exception#initialize, #backtrace, Module#===)
# that the subset does not: leave them out.
machinery = ["initialize", "exception", "backtrace", "==="]
trace = TracePoint.new(:call, :return, :c_call, :c_return) do |tp|
  log << [tp.event, tp.method_id] unless machinery.include?(tp.method_id.to_s)
end

trace.enable
begin
  outer
rescue RuntimeError
end
r = first_even([1, 3, 4, 5])
[1, 2, 3].each { |x| break if x == 2 }
begin
  with_ensure
rescue RuntimeError
end
trace.disable

log.each { |e| p e }
p r
