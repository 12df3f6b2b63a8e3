-- The churn program: each iteration compiles a fresh global `test` and calls it once.
for i = 1, 500000 do
  load("function test() return 1 end")()
  test()
end
print("done")
