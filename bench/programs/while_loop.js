function run(n) { let i = 0; while (i < n) i += 1; return i; }
console.log(run(50000000));
