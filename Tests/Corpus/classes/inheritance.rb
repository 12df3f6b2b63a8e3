class Animal
  def initialize(name)
    @name = name
  end
  def name
    @name
  end
  def speak
    "..."
  end
  def describe
    name + " says " + speak
  end
end
class Dog < Animal
  def speak
    "woof"
  end
end
class Puppy < Dog
  def speak
    "yip"
  end
end
class Cat < Animal
end
puts Animal.new("thing").describe
puts Dog.new("rex").describe
puts Puppy.new("bit").describe
puts Cat.new("tom").describe
class Animal
  def speak
    "generic"
  end
end
puts Cat.new("tom").describe
puts Dog.new("rex").describe
