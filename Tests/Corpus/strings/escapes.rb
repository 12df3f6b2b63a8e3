puts "tab:\tend"
puts "line1\nline2"
puts "quote: \" backslash: \\"
p "tab:\tend"
p "nl\n"
p "quote \" inside"
p "back\\slash"
puts "null-free \e[0m".size
p "\#{not interpolated}"
