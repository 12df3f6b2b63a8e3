name = "world"
puts "hello, #{name}!"
puts "sum: #{1 + 2}"
puts "nested: #{"inner #{name.size}"}"
puts "nil: [#{nil}]"
puts "bool: #{true} #{false}"
puts "sym: #{:abc}"
puts "array: #{[1, "two", :three, nil]}"
x = 5
puts "#{x}#{x}#{x}"
puts "#{x > 3 ? "big" : "small"} number"
def greet(who)
  "hi #{who}"
end
puts "call: #{greet("bob")}"
p "#{-x}"
