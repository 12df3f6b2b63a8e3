eval("def from_eval; :defined_by_eval; end")
p from_eval
eval("def from_eval; :redefined_by_eval; end", TOPLEVEL_BINDING)
p from_eval
3.times do |i|
  eval("def gen_#{i}; #{i * 100}; end")
end
p gen_0
p gen_1
p gen_2
def define_later
  eval("def inner_from_method; :inner; end", TOPLEVEL_BINDING)
end
define_later
p inner_from_method
