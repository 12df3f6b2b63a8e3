function addOne(x) { return x + 1; }
let i = 0, sum = 0;
while (i < 10000000) { sum = addOne(sum); i += 1; }
console.log(sum);
