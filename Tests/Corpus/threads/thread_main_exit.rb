# When the main program ends, the other threads end with it: one spinning forever, one waiting for a
# Mutex nobody releases, one passing forever.
spinner = Thread.new do
  i = 0
  while true
    i += 1
  end
end
m = Mutex.new
m.lock
waiter = Thread.new do
  m.lock
  puts "never printed"
end
passer = Thread.new do
  Thread.pass while true
end
p spinner.alive?
puts "main done"
