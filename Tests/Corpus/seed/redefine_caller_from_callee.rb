# The callee redefines the method that called it; the caller's running body must finish unchanged.
def caller_method
  before = :before
  callee
  [before, :after_callee]
end
def callee
  eval("def caller_method; :new_caller; end", TOPLEVEL_BINDING)
  nil
end
p caller_method
p caller_method
