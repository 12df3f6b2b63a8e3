x = 10
x += 5
p x
x -= 20
p x
x += -x
p x
s = "ab"
s += "cd"
p s
a = [1, 2, 3]
a[1] += 10
a[2] -= 1
p a
$g = 1
$g += 41
p $g
