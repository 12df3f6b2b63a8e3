# fuzz: fixed: a collection inside BlockCompiler.ensureRoom (page allocation) evicted and emitted stubs at the current page's outlined bump, which the unwritten chunk had already claimed
# fuzz: flags --call-threshold 1 --stress-gc --code-region 16K --page-size 4K
# reproduce: diff <(.build/debug/jitstack run --no-jit Tests/FuzzRepros/4.rb 2>&1) <(.build/debug/jitstack run --call-threshold 1 --stress-gc --code-region 16K --page-size 4K Tests/FuzzRepros/4.rb 2>&1)
# --no-jit ended exited(0); the other run ended signaled(4)
# fuzz: signature GuestJIT/BlockCompiler.swift: Precondition failed: outlined bump moved during compilation
# ruby agrees with --no-jit on this program
def each_m1(p2)
  t4 = 0
  [p2, 1, 2].each { |v3| t4 = (t4 + yield(v3)) % 1000003 }
end
def m5(p6, p7)
  r9 = each_m1((p7 % 1000003)) do |v8|
    p6 = 111
  end
  p(r9)
  ((p6 >= p7 ? p6 : (589 - r9)) % 83)
end
def each_m15(p16)
  return p16 unless block_given?
  t17 = 0
  w18 = 0
  while w18 < 4
    w18 += 1
  end
  t17
end
class K25
  def initialize(p26, p27)
    @y = p27
  end
  attr_reader :x, :y
  def calc30(p31)
    (self.y % 1000003)
  end
end
class K37 < K25
  def calc38(p39)
    ((((-40) <= 210) && true ? (p39 % 86) : (189 < 827 ? (@y == 629 ? p39 : 424) : (@y - p39))) % 1000003)
  end
end
w43 = 0
while w43 < 5
  w43 += 1
  o44 = K37.new((each_m15((w43 % 1000003)) { |v45| (w43 % 1000003) } % 1000003), ((m5((w43 % 1000003), (w43 % 28)) - (w43 / (-9))) % 1000003))
  begin
  end
  i46 = (m5(((939.even? ? o44.calc38((w43 % 1000003)) : (w43 + 632)) % 1000003), ((40.even? ? (w43 + w43) : w43) % 1000003)) % 1000003)
  r48 = each_m15(((o44.calc30((o44.calc38((i46 % 1000003)) % 1000003)) / 32) % 1000003)) do |v47|
    unless (v47 >= i46 ? i46 : 547).even?
    end
  end
end
48.times do |v55|
  eval("def churn54(x); (x * #{v55}) % 1000003; end", TOPLEVEL_BINDING)
  p(churn54(v55 + 6))
end
