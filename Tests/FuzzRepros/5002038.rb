# fuzz: fixed: a block whose last stub found no room in a full region stayed registered (and was entered later) with that branch on its placeholder jump to exitInterpret, frame pc and sp never written
# fuzz: flags --call-threshold 1 --stress-gc --code-region 16K --page-size 4K
# reproduce: diff <(.build/debug/jitstack run --no-jit Tests/FuzzRepros/5002038.rb 2>&1) <(.build/debug/jitstack run --call-threshold 1 --stress-gc --code-region 16K --page-size 4K Tests/FuzzRepros/5002038.rb 2>&1)
# --no-jit ended exited(0); the other run ended exited(0)
# ruby agrees with --no-jit on this program
def m1
  (416 + ((417 * 400) / 11))
end
def m2
  if (-37) >= (434 * 923)
  end
  return ((883 >= (-19) ? (806 / 27) : (21 % (-3))) + ((593 + 696) + (726.even? ? 453 : 1000))) if ((362 / (-2)) > (424 <= (-13) ? 404 : 347)) && ((362 / (-2)) != 7)
  i8 = (!((774.even? ? 956 : 446) < (338 + 234)) ? 2 : (((-8) * 858) % 79))
end
def m9(p10, p11)
  (((p10 > (-42)) && (p10 != 7) ? p11 : (!(p11 < p11) ? p10 : (p11 * 842))) % 1000003)
end
def m12(p13, p14, p15)
  if (p15 + p15) == (23 + p13)
  end
  p((((p15 >= (175 * p13)) || p15.odd? ? ((p14 % 19) / (-5)) : p13) % 1000003))
  p((p14 % 1000003))
  (((p15 + p14) + p13) % 1000003)
end
def rec30(n, acc)
  return acc if n <= 0
  rec30(n - 1, (acc + n * 5) % 1000003)
end
class K31
end
class K42 < K31
  def initialize(p43, p44)
    @x = (p44 + 1) % 1000003
  end
  def calc34(p45)
    s46 = 'kappa'
    if ((p45 + @x) <= (@x - (-50))) || (p45 + @x).odd?
    end
    (p45 % 1000003)
  end
end
s50 = 'kappa'
unless (m2 == ((-49) % (-4))) && (m2 != 7)
  i51 = ((s50.size + m1()) % 1000003)
  o52 = K42.new((s50.size % 1000003), (i51 % 1000003))
  i53 = (((i51 <= s50.size) || i51.odd? ? 52 : o52.calc34(((145 > 564 ? 603 : i51) % 1000003))) % 1000003)
end
  p(m12((m9(320, 665) % 1000003), (129 / 37), (m1 % 1000003)))
  p(m12(315, (s50.size % 1000003), 280))
8.times do |v80|
  eval("def churn79(x); (x * #{v80}) % 1000003; end", TOPLEVEL_BINDING)
  p(churn79(v80 + 8))
end
eval("def m9(p81, p82); (p81 % 1000003); end", TOPLEVEL_BINDING)
12.times do |v85|
  eval("def churn84(x); (x * #{v85}) % 1000003; end", TOPLEVEL_BINDING)
  p(churn84(v85 + 6))
end
if (s50.size < m2) && true
end
def m2
end
p(rec30(1994, 0))
