local function run(n)
  local i = 0
  while i < n do i = i + 1 end
  return i
end
print(run(50000000))
