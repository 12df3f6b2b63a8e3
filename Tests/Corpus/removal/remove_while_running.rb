class Job
  def run
    Job.remove_method(:run)
    "ran and removed myself"
  end
  def after
    "after is fine"
  end
end
j = Job.new
puts j.run
puts j.after
begin
  j.run
rescue NoMethodError
  puts "run is gone"
end
