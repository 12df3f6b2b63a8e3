# After a stack overflow is rescued the program keeps full stack depth available.
def down(n)
  n == 0 ? 0 : 1 + down(n - 1)
end
3.times do |i|
  begin
    down(10_000_000)
  rescue SystemStackError
    puts "overflow #{i}"
  end
  p down(5_000)
end
