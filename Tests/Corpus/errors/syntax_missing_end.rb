# subset: differs from Ruby: syntax errors are reported as file:line:col: message (the line is where the parser gives up)
def unfinished(a)
  if a
    puts a
  end
