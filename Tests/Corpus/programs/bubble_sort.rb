def bubble_sort(a)
  n = a.size
  swapped = true
  while swapped
    swapped = false
    i = 1
    while i < n
      if a[i - 1] > a[i]
        t = a[i - 1]
        a[i - 1] = a[i]
        a[i] = t
        swapped = true
      end
      i += 1
    end
    n -= 1
  end
  a
end
p bubble_sort([5, -3, 9, 0, 2, 2, -8, 100, 7])
p bubble_sort([])
p bubble_sort([1])
