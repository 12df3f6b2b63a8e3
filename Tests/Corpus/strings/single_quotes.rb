puts 'plain'
puts 'no #{interpolation} here'
puts 'backslash n stays: \n'
puts 'it\'s escaped'
puts 'one \\ backslash'
p 'say "hi"'
p 'a\b'
p 'x' == "x"
