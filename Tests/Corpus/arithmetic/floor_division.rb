# Ruby's division rounds toward negative infinity and % takes the divisor's sign.
p 7 / 2
p -7 / 2
p 7 / -2
p -7 / -2
p 7 % 3
p -7 % 3
p 7 % -3
p -7 % -3
p 6 / -3
p -6 % 3
p 0 / -5
p 1 / 3
p -1 / 3
p -1 % 3
