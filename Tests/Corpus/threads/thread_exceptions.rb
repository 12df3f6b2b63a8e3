# Exceptions inside threads: rescued and ensured inside, or raised again by join and value.
class WorkError < StandardError
end

t1 = Thread.new do
  begin
    raise WorkError, "handled inside"
  rescue WorkError => e
    "rescued: " + e.message
  ensure
    $ensured = true
  end
end
p t1.value
p $ensured

t2 = Thread.new { raise WorkError, "escaped" }
begin
  t2.value
rescue WorkError => e
  puts "value raised " + e.class.to_s + ": " + e.message
end
begin
  t2.join
rescue => e
  puts "join raised again: " + e.message
end

t3 = Thread.new { 1 / 0 }
begin
  t3.join
rescue ZeroDivisionError => e
  puts "join: " + e.message
end
