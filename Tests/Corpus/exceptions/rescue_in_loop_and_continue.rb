results = []
[2, 0, 5, 0, 10].each do |d|
  begin
    results << 100 / d
  rescue ZeroDivisionError
    results << :inf
  end
end
p results
i = 0
errors = 0
while i < 1000
  begin
    raise "e" if i % 100 == 0
  rescue
    errors += 1
  end
  i += 1
end
p errors
