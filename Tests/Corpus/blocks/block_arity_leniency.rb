# Blocks take missing arguments as nil, drop extra ones, and spread a single array over several parameters.
def give_two
  yield 1, 2
end
def give_one
  yield 7
end
def give_array
  yield [3, 4]
end
def give_none
  yield
end
give_two { |a| p a }
give_one { |a, b| p [a, b] }
give_array { |a, b| p [a, b] }
give_array { |a| p a }
give_none { |a| p a }
give_two { p :no_params }
