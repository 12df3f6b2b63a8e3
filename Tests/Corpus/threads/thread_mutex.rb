m = Mutex.new
$count = 0
threads = []
4.times do
  threads << Thread.new do
    1000.times do
      m.synchronize { $count += 1 }
    end
  end
end
threads.each { |t| t.join }
p $count
Thread.pass
puts "done"
