i = 0
while i < 300
  puts "line #{i}"
  i += 1
end
print "partial"
raise "after output"
