p eval("1 + 2")
p eval("'a' + 'b'")
p eval("[1, [2]]")
p eval("nil")
p eval("")
x = eval("10 * 10")
p x
p eval("eval('3 * 3')")
