# corpus: slow
# The seed's program, verbatim iteration count: eval churn that defines and calls `test` 500_000 times.
500_000.times do |i|
    eval("def test; 1; end", TOPLEVEL_BINDING)
    test()
end
puts "done"
