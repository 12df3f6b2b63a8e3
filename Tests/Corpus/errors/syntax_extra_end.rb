# subset: differs from Ruby: syntax errors are reported as file:line:col: message
def ok
  1
end
end
