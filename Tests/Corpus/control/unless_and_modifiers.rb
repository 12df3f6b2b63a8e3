unless 1 > 2
  puts "unless ran"
end
unless true
  puts "no"
else
  puts "unless-else ran"
end
puts "modifier if" if 3 > 2
puts "never" if nil
puts "modifier unless" unless false
puts "never" unless 5
x = 1
x = 2 if x == 1
p x
y = (10 unless true)
p y
def check(n)
  return "neg" if n < 0
  return "big" unless n < 100
  "ok"
end
puts check(-1)
puts check(500)
puts check(5)
