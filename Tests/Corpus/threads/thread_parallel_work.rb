# Parallel workers calling compiled methods of a class; shared results collected under a Mutex.
class Worker
  def initialize(id)
    @id = id
  end

  def fib(n)
    n < 2 ? n : fib(n - 1) + fib(n - 2)
  end

  def run
    total = 0
    i = 0
    while i < 200
      total += i * @id
      i += 1
    end
    [@id, fib(15 + @id), total]
  end
end

lock = Mutex.new
log = []
threads = [1, 2, 3, 4, 5, 6].map do |id|
  Thread.new(id) do |k|
    r = Worker.new(k).run
    lock.synchronize { log << k }
    r
  end
end
threads.each { |t| p t.value }
p log.sort
