# return inside nested blocks leaves the method that defined the block, through every frame between.
def find_pair(rows, target)
  rows.each do |row|
    row.each do |v|
      3.times do |k|
        return [v, k] if v * k == target
      end
    end
  end
  :not_found
ensure
  puts "find_pair ensure"
end
p find_pair([[1, 2], [3, 4]], 8)
p find_pair([[1]], 99)
def outer_method
  inner_result = [1, 2, 3].each { |x| return :early if x == 2 }
  [:late, inner_result]
end
p outer_method
