# && and || return one of their operands, not just true/false.
p(1 && 2)
p(nil && 2)
p(false || :fallback)
p(nil || false)
p(3 || raise_never_called)
p(!(1 < 2))
p(!!5)
x = nil
y = x || "default"
p y
z = 0 && "zero is truthy"
p z
calls = 0
p(false && (calls += 1))
p(true || (calls += 1))
p calls
