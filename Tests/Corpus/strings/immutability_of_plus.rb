s = "a"
t = s
s += "b"
p s
p t
list = ["x"]
item = list[0]
item += "y"
p list
p item
long = ""
1000.times { long = long + "ab" }
p long.size
