p 1 < 2
p 2 < 1
p 2 <= 2
p 3 >= 4
p 4 > 3
p 5 == 5
p 5 != 5
p 5 != 6
p "a" == "a"
p "a" != "b"
p 1 == "1"
p :a == :a
p nil == nil
a = 3
b = 3
p a == b && a <= b
