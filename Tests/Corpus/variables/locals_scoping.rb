a = 1
b = a + 1
a = b * 10
p a
p b
if true
  inside_if = "visible after if"
end
puts inside_if
while a > 15
  made_in_while = a
  a -= 1
end
p made_in_while
c = nil
p c
