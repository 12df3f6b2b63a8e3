# Writer methods `name=` are plain methods; `obj.name = v` calls them and evaluates to v.
class Box
  def content
    @content
  end
  def content=(v)
    @content = v
    :ignored
  end
end
b = Box.new
p b.content
r = (b.content = 5)
p r
p b.content
b.content += 1
p b.content
