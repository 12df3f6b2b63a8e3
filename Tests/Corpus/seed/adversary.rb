# The seed's adversary: a method that removes itself while it runs, then returns into its caller.
class Foo
  def adversary
    ::Foo.remove_method(:adversary)
  end
end
f = Foo.new
f.adversary
puts "adversary returned"
begin
  f.adversary
rescue NoMethodError
  puts "adversary is gone"
end
