class Thing
end
Thing.new.missing_thing
