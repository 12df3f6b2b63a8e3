# fuzz: fixed: a stub hit did not publish the frame JIT code was in (ec.cfp), so the collector missed frames pushed by cached calls and freed an invalidated caller their jitReturn returned into
# fuzz: flags --call-threshold 1 --stress-gc --code-region 16K --page-size 4K
# reproduce: diff <(.build/debug/jitstack run --no-jit Tests/FuzzRepros/399705673972.rb 2>&1) <(.build/debug/jitstack run --call-threshold 1 --stress-gc --code-region 16K --page-size 4K Tests/FuzzRepros/399705673972.rb 2>&1)
# --no-jit ended exited(0); the other run ended signaled(5)
# ruby agrees with --no-jit on this program
def m1(p2, p3, p4)
  p(((p2 <= (p3 + 225) ? (171 <= p2 ? p2 : (p2 == p3 ? 606 : 268)) : p3) % 1000003))
  print "alpha=", (p2 % 1000003), "\n"
end
def m5(p6, p7, p8)
    p(m1((((-19) + p8) % 1000003), (p8 % 1000003), ((475 * p6) % 1000003)))
    puts "m1 is gone"
  a9 = [(((549 % 83) - p6) % 1000003)]
  (p8 % 1000003)
end
def each_m10(p11)
  t12 = 0
end
r37 = each_m10(((-44) + ((505 % (-3)) / (-9)))) do |v36|
end
i40 = (m5((m5((r37 % 1000003), (r37 % 1000003), (r37 % 1000003)) % (-6)), (m5((r37 % 1000003), ((!(r37 <= r37) ? r37 : r37) % 1000003), 75) % 1000003), ((r37 - (r37 == r37 ? (-7) : r37)) % 1000003)) % 1000003)
