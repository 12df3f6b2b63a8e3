# Mutex state and ThreadError messages, as in Ruby.
m = Mutex.new
p m.locked?
p m.try_lock
p m.locked?
p m.owned?
begin
  m.lock
rescue ThreadError => e
  puts "ThreadError: " + e.message
end
p Thread.new { m.owned? }.value
p Thread.new { m.try_lock }.value
m.unlock
begin
  m.unlock
rescue ThreadError => e
  puts "ThreadError: " + e.message
end
r = m.synchronize { 42 }
p r
p m.locked?
begin
  m.synchronize { raise "inside synchronize" }
rescue => e
  puts e.message
end
p m.locked?
begin
  Thread.current.join
rescue ThreadError => e
  puts "ThreadError: " + e.message
end
