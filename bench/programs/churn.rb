# The seed's churn program: every iteration compiles a fresh `test` and calls it once.
500_000.times { eval("def test; 1; end", TOPLEVEL_BINDING); test() }
puts "done"
