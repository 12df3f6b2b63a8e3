$counter = 0
def bump
  $counter += 1
end
bump
bump
p $counter
p $never_assigned
$list = []
[1, 2].each { |x| $list << x }
p $list
class Logger
  def log(m)
    $log = m
  end
end
Logger.new.log("set in method")
puts $log
