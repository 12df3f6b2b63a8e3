def maybe
  if block_given?
    yield
  else
    :no_block
  end
end
p maybe
p maybe { :block }
p maybe do :do_block end
def check
  block_given?
end
p check
p check { }
