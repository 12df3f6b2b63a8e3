/// Constant lookup: lexical scopes first (innermost class body outwards, Object last), then the
/// ancestors of the innermost scope's class.
extension VM {
    func lookupConstant(_ id: Int, cref: Cref?) -> Value? {
        var c = cref
        while let scope = c, scope.parent != nil {
            if let v = scope.klass.constants[id] { return v }
            c = scope.parent
        }
        var k: RClass? = cref?.klass ?? objectClass
        while let klass = k {
            if let v = klass.constants[id] { return v }
            k = klass.superclass
        }
        if let v = objectClass.constants[id] { return v }
        return nil
    }

    /// `scope::Name`: the scope's own constants and its ancestors'.
    func lookupConstant(_ id: Int, in scope: RClass) -> Value? {
        var k: RClass? = scope
        while let klass = k {
            if let v = klass.constants[id] { return v }
            k = klass.superclass
            if k === objectClass && scope !== objectClass { break }
        }
        return nil
    }

    /// Constant tables are read without a lock, so they change only with the world stopped.
    public func setConstant(_ id: Int, _ value: Value, in klass: RClass) {
        withWorldStopped {
            klass.constants[id] = value
            constantSerial &+= 1
        }
        // Naming an anonymous class is not in the subset; nothing else to do.
    }

    /// A top-level constant by name (classes, for the C API and tests).
    public func constant(_ name: String) -> Value? { objectClass.constants[symbols.id(name)] }
}
