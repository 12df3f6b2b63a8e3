local function add_one(x) return x + 1 end
local i, sum = 0, 0
while i < 10000000 do
  sum = add_one(sum)
  i = i + 1
end
print(sum)
