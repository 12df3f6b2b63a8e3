def collect
  out = []
  3.times { |i| out << yield(i) }
  out
end
p collect { |i| next i * 10 if i > 0; :zero }
[1, 2, 3, 4].each do |x|
  next if x.to_s == "2"
  puts x
end
def run
  yield
end
p run { next }
p run { next 1; 2 }
