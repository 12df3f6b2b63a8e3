# tp.defined_class and tp.self: the class holding the method (a singleton method's is the metaclass),
# and the receiver, for guest methods, inherited ones, accessors, builtins and prelude methods.
class Foo
  def bar(x)
    x + 1
  end

  def self.make
    new
  end

  attr_reader :z
end

class Baz < Foo
end

log = []
tp = TracePoint.new(:call, :return, :c_call, :c_return) do |t|
  log << [t.event, t.method_id, t.defined_class, t.self.class]
end
tp.enable
Foo.make.bar(1)
Baz.new.bar(2)
Foo.new.z
[1].map { |e| e }
tp.disable
log.each { |e| p e }
