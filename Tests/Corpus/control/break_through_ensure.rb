# break out of a block unwinds the method that yielded, running its ensure clauses on the way.
def each_guarded(list)
  list.each do |x|
    begin
      yield x
    ensure
      puts "inner ensure #{x}"
    end
  end
  :loop_finished
ensure
  puts "outer ensure"
end
r = each_guarded([1, 2, 3]) do |x|
  break x * 100 if x == 2
  puts "body #{x}"
end
p r
r2 = each_guarded([7]) { |x| x }
p r2
