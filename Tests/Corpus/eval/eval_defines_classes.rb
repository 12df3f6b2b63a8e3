eval("class Made; def hello; 'made by eval'; end; end")
puts Made.new.hello
eval("class Made; def more; 42; end; end", TOPLEVEL_BINDING)
p Made.new.more
eval("class Sub < Made; def hello; 'sub'; end; end")
puts Sub.new.hello
p Sub.new.more
code = "class Made\n  remove_method(:more)\nend\n"
eval(code)
begin
  Made.new.more
rescue NoMethodError
  puts "more removed by eval"
end
