LIMIT = 3
def within?(n)
  n <= LIMIT
end
p LIMIT
p within?(2)
p within?(4)
p ::LIMIT
class Config
  NAME = "config"
  def name
    NAME
  end
  def limit
    ::LIMIT
  end
  def top_limit
    LIMIT
  end
end
c = Config.new
puts c.name
puts Config::NAME
p c.limit
p c.top_limit
GREETING = "hi " + "there"
puts GREETING
LIST = [1, 2]
LIST << 3
p LIST
