p true
p false
p nil
puts true
puts false
puts nil
p(!true)
p(!nil)
p(!0)
p(nil == false)
p(true == true)
