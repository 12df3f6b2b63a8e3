def primes_below(limit)
  composite = []
  limit.times { composite << false }
  primes = []
  n = 2
  while n < limit
    unless composite[n]
      primes << n
      m = n * n
      while m < limit
        composite[m] = true
        m += n
      end
    end
    n += 1
  end
  primes
end
p primes_below(60)
p primes_below(10_000).size
