def fib(n)
  if n < 2
    n
  else
    fib(n - 1) + fib(n - 2)
  end
end
p fib(0)
p fib(1)
p fib(10)
p fib(20)
def fact(n)
  n <= 1 ? 1 : n * fact(n - 1)
end
p fact(20)
def even(n)
  n == 0 ? true : odd(n - 1)
end
def odd(n)
  n == 0 ? false : even(n - 1)
end
p even(10)
p odd(7)
