/// Class creation and the bootstrap class graph.
extension VM {
    func bootstrapClasses() {
        func raw(_ name: String, _ superclass: RClass?) -> RClass {
            let c = RClass(klass: nil, name: name, superclass: superclass, isModule: false, isMetaclass: false,
                           instanceKind: .object)
            _ = heap.track(c)
            return c
        }
        basicObjectClass = raw("BasicObject", nil)
        objectClass = raw("Object", basicObjectClass)
        moduleClass = raw("Module", objectClass)
        classClass = raw("Class", moduleClass)
        for c in [basicObjectClass!, objectClass!, moduleClass!, classClass!] {
            c.klass = classClass
            objectClass.constants[symbols.id(c.name)] = .object(c)
        }
        for c in [basicObjectClass!, objectClass!, moduleClass!, classClass!] { attachMetaclass(c) }
        // Anonymous classes and modules (`Class.new`) are not in the subset: no allocator.
        moduleClass.instanceKind = .none
        classClass.instanceKind = .none
        topCref = cref(objectClass, parent: nil)

        integerClass = defineClass("Integer", superclass: objectClass, kind: .none)
        stringClass = defineClass("String", superclass: objectClass, kind: .string)
        arrayClass = defineClass("Array", superclass: objectClass, kind: .array)
        symbolClass = defineClass("Symbol", superclass: objectClass, kind: .none)
        nilClass = defineClass("NilClass", superclass: objectClass, kind: .none)
        trueClass = defineClass("TrueClass", superclass: objectClass, kind: .none)
        falseClass = defineClass("FalseClass", superclass: objectClass, kind: .none)
        exceptionClass = defineClass("Exception", superclass: objectClass, kind: .exception)
        scriptErrorClass = defineClass("ScriptError", superclass: exceptionClass)
        syntaxErrorClass = defineClass("SyntaxError", superclass: scriptErrorClass)
        standardErrorClass = defineClass("StandardError", superclass: exceptionClass)
        runtimeErrorClass = defineClass("RuntimeError", superclass: standardErrorClass)
        nameErrorClass = defineClass("NameError", superclass: standardErrorClass)
        noMethodErrorClass = defineClass("NoMethodError", superclass: nameErrorClass)
        zeroDivisionErrorClass = defineClass("ZeroDivisionError", superclass: standardErrorClass)
        typeErrorClass = defineClass("TypeError", superclass: standardErrorClass)
        argumentErrorClass = defineClass("ArgumentError", superclass: standardErrorClass)
        rangeErrorClass = defineClass("RangeError", superclass: standardErrorClass)
        indexErrorClass = defineClass("IndexError", superclass: standardErrorClass)
        localJumpErrorClass = defineClass("LocalJumpError", superclass: standardErrorClass)
        systemStackErrorClass = defineClass("SystemStackError", superclass: exceptionClass)
        _ = defineClass("NotImplementedError", superclass: scriptErrorClass)
        _ = defineClass("FrozenError", superclass: runtimeErrorClass)
        _ = defineClass("KeyError", superclass: indexErrorClass)
        _ = defineClass("StopIteration", superclass: indexErrorClass)
        _ = defineModule("Kernel")
        _ = defineModule("Comparable")
        throwClass = RClass(klass: classClass, name: "<throw>", superclass: objectClass, isModule: false,
                            isMetaclass: false, instanceKind: .none)
        _ = heap.track(throwClass)

        func pointer(_ c: RClass) -> UnsafeMutableRawPointer { Unmanaged.passUnretained(c).toOpaque() }
        integerClassPointer = pointer(integerClass)
        symbolClassPointer = pointer(symbolClass)
        nilClassPointer = pointer(nilClass)
        trueClassPointer = pointer(trueClass)
        falseClassPointer = pointer(falseClass)
        arrayClassPointer = pointer(arrayClass)

        let main = RObject(klass: objectClass)
        mainObject = heap.track(main)
    }

    /// Creates the metaclass of `c` (its superclass is the superclass's metaclass, or Class at the root).
    func attachMetaclass(_ c: RClass) {
        let superMeta: RClass
        if c.isModule {
            superMeta = moduleClass
        } else if let s = c.superclass {
            if s.metaclass == nil { attachMetaclass(s) }
            superMeta = s.metaclass!
        } else {
            superMeta = classClass
        }
        let meta = RClass(klass: classClass, name: "#<Class:\(c.name)>", superclass: superMeta, isModule: false,
                          isMetaclass: true, instanceKind: .none)
        meta.attached = c
        _ = heap.track(meta)
        c.metaclass = meta
        c.klass = meta
    }

    /// Defines (or returns the existing) class `name` under `scope` (Object by default).
    @discardableResult
    public func defineClass(_ name: String, superclass: RClass?, under scope: RClass? = nil,
                            kind: RClass.InstanceKind? = nil) -> RClass {
        // Constant tables are read without a lock: they change only with the world stopped.
        withWorldStopped { defineClassStopped(name, superclass: superclass, under: scope, kind: kind) }
    }

    private func defineClassStopped(_ name: String, superclass: RClass?, under scope: RClass?,
                                    kind: RClass.InstanceKind?) -> RClass {
        let scope = scope ?? objectClass!
        let id = symbols.id(name)
        if let existing = scope.constants[id], let c = existing.object(as: RClass.self) { return c }
        let superclass = superclass ?? objectClass!
        let fullName = scope === objectClass ? name : "\(scope.name)::\(name)"
        let c = RClass(klass: classClass, name: fullName, superclass: superclass, isModule: false,
                       isMetaclass: false, instanceKind: kind ?? superclass.instanceKind)
        _ = heap.track(c)
        attachMetaclass(c)
        scope.constants[id] = .object(c)
        constantSerial &+= 1
        return c
    }

    @discardableResult
    public func defineModule(_ name: String, under scope: RClass? = nil) -> RClass {
        withWorldStopped { defineModuleStopped(name, under: scope) }
    }

    private func defineModuleStopped(_ name: String, under scope: RClass?) -> RClass {
        let scope = scope ?? objectClass!
        let id = symbols.id(name)
        if let existing = scope.constants[id], let c = existing.object(as: RClass.self) { return c }
        let fullName = scope === objectClass ? name : "\(scope.name)::\(name)"
        let m = RClass(klass: moduleClass, name: fullName, superclass: nil, isModule: true, isMetaclass: false,
                       instanceKind: .none)
        _ = heap.track(m)
        attachMetaclass(m)
        scope.constants[id] = .object(m)
        constantSerial &+= 1
        return m
    }

    // MARK: Object allocation

    public func newString(_ s: String) -> Value { heap.track(RString(klass: stringClass, value: s)) }
    public func newArray(_ elements: [Value]) -> Value { heap.track(RArray(klass: arrayClass, elements: elements)) }

    /// An Integer value: immediate when it fits 63 bits, boxed otherwise.
    @inline(__always)
    public func integer(_ n: Int64) -> Value {
        if n >= Value.fixnumMin && n <= Value.fixnumMax { return .fixnum(n) }
        return heap.track(RBoxedInteger(klass: integerClass, value: n))
    }

    /// The Int64 of an Integer value, or nil when `v` is not an Integer.
    @inline(__always)
    public func intValue(_ v: Value) -> Int64? {
        if v.isFixnum { return v.fixnumValue }
        if v.isHeapObject, let b = v.object as? RBoxedInteger { return b.value }
        return nil
    }

    public func stringValue(_ v: Value) -> String? { v.object(as: RString.self)?.value }
    public func symbol(_ name: String) -> Value { .symbol(symbols.id(name)) }
}
