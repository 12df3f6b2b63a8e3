def twice
  yield
  yield
end
twice { puts "hi" }
def with_value
  yield(5)
end
p with_value { |v| v * 2 }
def with_two
  yield 1, 2
end
with_two { |a, b| p [a, b] }
with_two do |a, b|
  puts a + b
end
def pass_through(x)
  yield(x) + yield(x + 1)
end
p pass_through(10) { |n| n * n }
def many
  i = 0
  while i < 3
    yield i
    i += 1
  end
  :done
end
p many { |i| puts "got #{i}" }
