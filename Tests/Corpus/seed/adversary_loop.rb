# The adversary re-created by eval and called again from the same call site, many times.
def define_adversary(i)
  eval("class Foo; def adversary; ::Foo.remove_method(:adversary); #{i}; end; end", TOPLEVEL_BINDING)
end
class Foo
end
def call_it(f)
  f.adversary
end
f = Foo.new
sum = 0
missing = 0
i = 0
while i < 200
  define_adversary(i) if i % 2 == 0
  begin
    sum += call_it(f)
  rescue NoMethodError
    missing += 1
  end
  i += 1
end
p sum
p missing
