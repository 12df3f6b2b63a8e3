class Machine
  def initialize
    @stack = []
    @log = []
  end
  def push(v)
    @stack.push(v)
    self
  end
  def add
    b = @stack.pop
    a = @stack.pop
    @stack << a + b
    self
  end
  def mul
    b = @stack.pop
    a = @stack.pop
    @stack << a * b
    self
  end
  def div
    b = @stack.pop
    a = @stack.pop
    raise "stack underflow" if a == nil
    @stack << a / b
    self
  end
  def top
    @stack[-1]
  end
  def depth
    @stack.size
  end
end
m = Machine.new
p m.push(2).push(3).add.push(4).mul.top
p m.depth
p m.push(-7).div.top
begin
  Machine.new.push(1).div
rescue => e
  puts "error: " + e.message
end
begin
  Machine.new.push(1).push(0).div
rescue ZeroDivisionError => e
  puts "error: " + e.message
end
