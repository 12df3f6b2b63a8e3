begin
  eval("def broken(; end")
  puts "not reached"
rescue SyntaxError
  puts "eval raised SyntaxError"
end
p eval("1 + 1")
