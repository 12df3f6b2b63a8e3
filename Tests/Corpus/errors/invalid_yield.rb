puts "compiled before running, so nothing prints"
yield 1
