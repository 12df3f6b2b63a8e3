function addOne(x) { return x + 1; }
function run(n) { let i = 0, sum = 0; while (i < n) { sum = addOne(sum); i += 1; } return sum; }
console.log(run(10000000));
