class Greeter
  def hello
    "hello"
  end
end
g = Greeter.new
puts g.hello
class Greeter
  def bye
    "bye"
  end
end
puts g.bye
class Greeter
  def hello
    "hello again"
  end
end
puts g.hello
puts Greeter.new.bye
