# A method that redefines itself while running: the running body finishes, later calls see the new body.
def again
  eval("def again; :second; end", TOPLEVEL_BINDING)
  :first
end
p again
p again
p again
class Shifty
  def step
    Shifty.remove_method(:step)
    eval("class Shifty; def step; :replaced; end; end", TOPLEVEL_BINDING)
    :original
  end
end
s = Shifty.new
p s.step
p s.step
