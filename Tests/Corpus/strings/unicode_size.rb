s = "héllo"
p s.size
puts s
p s
p "日本".size
puts "日本" + "語"
