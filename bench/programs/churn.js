// The churn program: each iteration compiles a fresh global `test` with eval and calls it once.
for (let i = 0; i < 500000; i++) { (0, eval)("function test() { return 1; }"); test(); }
console.log("done");
