total = 0
[1, 2, 3].each { |x| total += x }
p total
msg = "start"
3.times do |i|
  msg = msg + "-" + i.to_s
end
p msg
def run
  yield
end
counter = 0
run { counter += 10 }
run { counter += 1 }
p counter
x = 10
[1, 2].each { |x| x + 100 }
p x
outer = 1
[5].each do |v|
  inner = v + outer
  outer = inner
end
p outer
