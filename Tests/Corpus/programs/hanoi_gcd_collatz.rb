$moves = 0
def hanoi(n, from, to, via)
  return if n == 0
  hanoi(n - 1, from, via, to)
  $moves += 1
  puts "#{from} -> #{to}" if n == 10
  hanoi(n - 1, via, to, from)
end
hanoi(10, :a, :c, :b)
p $moves
def gcd(a, b)
  b == 0 ? a : gcd(b, a % b)
end
p gcd(1071, 462)
p gcd(17, 5)
def collatz_steps(n)
  steps = 0
  until n == 1
    n = n % 2 == 0 ? n / 2 : 3 * n + 1
    steps += 1
  end
  steps
end
p collatz_steps(27)
best = 0
best_n = 0
n = 1
while n < 3000
  s = collatz_steps(n)
  if s > best
    best = s
    best_n = n
  end
  n += 1
end
p [best_n, best]
