def matmul(a, b)
  rows = a.size
  cols = b[0].size
  inner = b.size
  out = []
  i = 0
  while i < rows
    row = []
    j = 0
    while j < cols
      s = 0
      k = 0
      while k < inner
        s += a[i][k] * b[k][j]
        k += 1
      end
      row << s
      j += 1
    end
    out << row
    i += 1
  end
  out
end
a = [[1, 2], [3, 4]]
b = [[5, 6], [7, 8]]
p matmul(a, b)
id = [[1, 0], [0, 1]]
p matmul(a, id)
m = a
5.times { m = matmul(m, a) }
p m
