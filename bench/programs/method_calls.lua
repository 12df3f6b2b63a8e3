local function add_one(x) return x + 1 end
local function run(n)
  local i, sum = 0, 0
  while i < n do
    sum = add_one(sum)
    i = i + 1
  end
  return sum
end
print(run(10000000))
