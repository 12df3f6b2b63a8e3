def forever
  forever
end
forever
