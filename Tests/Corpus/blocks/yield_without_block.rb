def needs_block
  yield
end
begin
  needs_block
rescue => e
  puts e.message
end
p needs_block { :given }
