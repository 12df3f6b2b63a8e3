out = []
[1, 2].each do |a|
  [10, 20].each do |b|
    3.times { |c| out << a * b + c if c == 1 }
  end
end
p out
def each_pair_sum(list)
  list.each { |x| list.each { |y| yield x + y } }
end
sums = []
each_pair_sum([1, 2]) { |s| sums << s }
p sums
def outer_yield
  inner_call { |v| yield v * 2 }
end
def inner_call
  yield 21
end
p outer_yield { |v| v }
