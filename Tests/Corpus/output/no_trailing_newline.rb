print "a"
print "b"
print 1, 2
print "no newline at end"
