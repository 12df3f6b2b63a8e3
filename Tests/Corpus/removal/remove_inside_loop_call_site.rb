class Svc
  def work
    :work
  end
end
s = Svc.new
i = 0
while i < 4
  begin
    p s.work
  rescue NoMethodError
    puts "missing at #{i}"
    class Svc
      def work
        :restored
      end
    end
  end
  Svc.remove_method(:work) if i == 1
  i += 1
end
