# A fiber asleep inside compiled code, and a compiled method that redefines itself and dumps the stacks
# from inside that redefinition (its own JIT frame still on the native stack).
def worker
  Fiber.yield 1
  2
end
def adversary(n)
  eval("def adversary(n); 0; end; JIT.code_gc; JIT.dump_stack") if n == 2
  n
end
def drive(n); adversary(n) + 1; end
f = Fiber.new { worker + 40 }
f.resume
drive(0); drive(1); drive(2)
puts f.resume
