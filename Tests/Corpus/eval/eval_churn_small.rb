# The seed's eval churn (500_000 iterations) at a size that runs quickly; seed/eval_churn_full.rb is the full one.
20_000.times do |i|
  eval("def test; 1; end", TOPLEVEL_BINDING)
  test()
end
puts "churn done"
sum = 0
2_000.times do |i|
  eval("def test; #{i}; end", TOPLEVEL_BINDING)
  sum += test()
end
p sum
