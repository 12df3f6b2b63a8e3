def show
  block_given? ? yield : :none
end
list = [1, 2, 3]
list.each { |x| print x }
puts
list.each do |x|
  print x * 2
end
puts
p(show { :brace })
v = show do
  :do
end
p v
