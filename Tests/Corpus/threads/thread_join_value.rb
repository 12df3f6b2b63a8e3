threads = []
4.times do |i|
  threads << Thread.new { i * 10 }
end
sum = 0
threads.each { |t| sum += t.value }
p sum
t = Thread.new { raise "in thread" }
begin
  t.join
rescue => e
  puts "joined: " + e.message
end
