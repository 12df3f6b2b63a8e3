let i = 0;
while (i < 50000000) i += 1;
console.log(i);
