def ping(n)
  n == 0 ? :ping_done : pong(n - 1)
end
def pong(n)
  n == 0 ? :pong_done : ping(n - 1)
end
p ping(5_000)
p ping(5_001)
