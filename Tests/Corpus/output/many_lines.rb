i = 0
while i < 5_000
  puts "line #{i}"
  i += 1
end
print "last"
