# subset: differs from Ruby: syntax errors are reported as file:line:col: message
a = 1
c = (1 2)
