def search(sorted, target)
  lo = 0
  hi = sorted.size - 1
  while lo <= hi
    mid = (lo + hi) / 2
    v = sorted[mid]
    if v == target
      return mid
    elsif v < target
      lo = mid + 1
    else
      hi = mid - 1
    end
  end
  nil
end
list = []
50.times { |i| list << i * 3 - 20 }
p search(list, -20)
p search(list, 127)
p search(list, 0)
p search(list, 1)
p search([], 5)
