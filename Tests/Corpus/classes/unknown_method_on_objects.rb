class Plain
  def known
    :known
  end
end
o = Plain.new
p o.known
begin
  o.unknown
rescue NoMethodError
  puts "NoMethodError for unknown"
end
class Child < Plain
end
p Child.new.known
begin
  Plain.new.child_only
rescue NoMethodError => e
  puts "rescued"
end
