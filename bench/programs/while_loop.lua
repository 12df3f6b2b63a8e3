local i = 0
while i < 50000000 do i = i + 1 end
print(i)
