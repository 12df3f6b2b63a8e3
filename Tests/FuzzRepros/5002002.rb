# fuzz: fixed: the JIT helper for getConstant saved the frame pc only after the lookup, so a NameError took its backtrace (line) from the previous save
# fuzz: flags --call-threshold 1 --stress-gc --code-region 16K --page-size 4K
# reproduce: diff <(.build/debug/jitstack run --no-jit Tests/FuzzRepros/5002002.rb 2>&1) <(.build/debug/jitstack run --call-threshold 1 --stress-gc --code-region 16K --page-size 4K Tests/FuzzRepros/5002002.rb 2>&1)
# --no-jit ended exited(1); the other run ended exited(1)
# ruby agrees with --no-jit on this program
def m1(p31, p32)
  a34 = [(p31 % 1000003), (p32 % 1000003), 344, ((p31 + ((p31 % (-1)) / 27)) % 1000003)]
  o35 = K13.new(529, (p32 % 1000003))
end
puts "eta #{(((((-4) <= 436) && true ? m1(710, 376) : (369 % 81)) + m1((482 + 197), (233 < (-41) ? 280 : 871))) % 1000003)} #{'kappa'}"
