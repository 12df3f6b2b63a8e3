# A name assigned as a local wins over a method of the same name unless called with parens or arguments.
def value
  :method
end
p value
value = :local
p value
p value()
if false
  never = 1
end
p never
def shadow_arg(value)
  value
end
p shadow_arg(5)
