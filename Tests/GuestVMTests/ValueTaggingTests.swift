import GuestVM
import Testing

@Suite struct ValueTaggingTests {
    @Test func fixnumsRoundTripAcrossTheWholeImmediateRange() {
        for n in [0, 1, -1, 42, -42, Value.fixnumMax, Value.fixnumMin] {
            let v = Value.fixnum(n)
            #expect(v.isFixnum)
            #expect(!v.isHeapObject)
            #expect(v.fixnumValue == n)
            #expect(v.raw & 1 == 1)
        }
    }

    @Test func onlyNilAndFalseAreFalsy() {
        #expect(!Value.nil.isTruthy)
        #expect(!Value.false.isTruthy)
        #expect(Value.true.isTruthy)
        #expect(Value.fixnum(0).isTruthy)
        #expect(Value.symbol(3).isTruthy)
    }

    @Test func integersOutsideSixtyThreeBitsAreBoxedAndCompareByValue() throws {
        let vm = VM()
        let big = vm.integer(Int64.max)
        #expect(big.isHeapObject)
        #expect(vm.intValue(big) == Int64.max)
        #expect(!vm.integer(Value.fixnumMax).isHeapObject)
        #expect(vm.integer(Value.fixnumMax + 1).isHeapObject)
        let out = try guestOutput("p 4611686018427387903 + 1 == 4611686018427387904\np 9223372036854775807 - 1")
        #expect(out == "true\n9223372036854775806\n")
    }

    @Test func overflowRaisesRangeErrorInsteadOfWrapping() throws {
        let out = try guestOutput("""
        begin
          9223372036854775807 + 1
        rescue RangeError => e
          puts e.message
        end
        """)
        #expect(out == "integer overflow\n")
    }
}

@Suite struct ObjectLayoutTests {
    @Test func everyHeapObjectsClassPointerIsAtTheDocumentedOffset() throws {
        let vm = VM()
        for v in [vm.newString("s"), vm.newArray([]), vm.integer(Int64.max), Value.object(vm.objectClass)] {
            let loaded = UnsafeRawPointer(bitPattern: UInt(v.raw))!
                .load(fromByteOffset: HeapObject.klassOffset, as: UnsafeMutableRawPointer.self)
            #expect(loaded == v.object.klassPointer)
            #expect(vm.classPointer(v) == Unmanaged.passUnretained(v.object.klass).toOpaque())
        }
        #expect(vm.classPointer(.fixnum(3)) == Unmanaged.passUnretained(vm.integerClass).toOpaque())
        #expect(vm.classPointer(.nil) == Unmanaged.passUnretained(vm.nilClass).toOpaque())
    }
}
