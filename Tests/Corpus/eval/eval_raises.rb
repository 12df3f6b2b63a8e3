begin
  eval("raise 'from eval'")
rescue => e
  puts "rescued: #{e.message}"
end
begin
  eval("1 / 0")
rescue ZeroDivisionError => e
  puts e.message
end
def boom_in_eval
  eval("undefined_call(1)")
end
begin
  boom_in_eval
rescue NoMethodError
  puts "NoMethodError through eval"
end
p eval("begin; raise 'x'; rescue; :recovered; end")
