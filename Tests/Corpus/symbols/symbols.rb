p :foo
puts :foo
p :foo == :foo
p :foo == :bar
p :foo != :bar
s = :with_underscore
p s
p [:a, :b, :c]
puts "#{:interp}"
p :question?
print :printed, "\n"
