i = 0
v = loop do
  i += 1
  break i * 100 if i == 4
end
p v
w = while true
  break :from_while
end
p w
x = [1, 2, 3, 4].each do |e|
  break e * 10 if e == 3
end
p x
y = 5.times { |t| break "stopped at #{t}" if t == 2 }
p y
z = [1].each { |e| break }
p z
def first_big(list)
  list.each { |e| break e if e > 10 }
end
p first_big([1, 20, 30])
p first_big([1, 2])
count = 0
loop do
  count += 1
  next if count < 5
  break
end
p count
