puts "compiled before running, so nothing prints"
x = 1
break
