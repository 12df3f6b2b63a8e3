def value
  1
end
def call_site
  value
end
p call_site
def value
  2
end
p call_site
i = 0
while i < 4
  p call_site
  if i == 1
    def value
      :redefined_in_loop
    end
  end
  i += 1
end
