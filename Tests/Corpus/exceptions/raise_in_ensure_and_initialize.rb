# An exception raised in ensure replaces the one in flight; one raised in initialize escapes `new`.
begin
  begin
    raise "original"
  ensure
    raise "from ensure"
  end
rescue => e
  puts e.message
end
class Strict
  def initialize(v)
    raise "bad value #{v}" if v < 0
    @v = v
  end
  def v
    @v
  end
end
p Strict.new(3).v
begin
  Strict.new(-1)
  puts "not reached"
rescue => e
  puts e.message
end
def nested_rescue
  begin
    raise "a"
  rescue => e
    raise "b after " + e.message
  end
end
begin
  nested_rescue
rescue => e
  puts e.message
end
