def positive?(n)
  n > 0
end
def shout!(s)
  s + "!"
end
p positive?(3)
p positive?(-3)
puts shout!("hey")
