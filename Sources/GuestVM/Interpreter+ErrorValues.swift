/// The exceptions the dispatch loop raises itself, built out of line: inlined into `execute`, their
/// message literals were materialized in its prologue, which every entry paid (each interpreted callee
/// JIT code calls enters `execute` once).
extension VM {
    @inline(never)
    func uninitializedConstantError(_ id: Int, cref: Cref, ec: ExecutionContext) -> Value {
        let prefix = cref.parent == nil ? "" : "\(cref.klass.name)::"
        return makeException(nameErrorClass, "uninitialized constant \(prefix)\(symbols.name(id))", ec: ec)
    }

    @inline(never)
    func uninitializedConstantError(_ id: Int, in c: RClass, ec: ExecutionContext) -> Value {
        let name = c === objectClass ? symbols.name(id) : "\(c.name)::\(symbols.name(id))"
        return makeException(nameErrorClass, "uninitialized constant \(name)", ec: ec)
    }

    @inline(never)
    func notAClassOrModuleError(_ scope: Value, ec: ExecutionContext) -> Value {
        makeException(typeErrorClass, "\(inspectForMessage(scope)) is not a class/module", ec: ec)
    }

    @inline(never)
    func rescueClauseTypeError(ec: ExecutionContext) -> Value {
        makeException(typeErrorClass, "class or module required for rescue clause", ec: ec)
    }

    @inline(never)
    func singletonDefinitionError(ec: ExecutionContext) -> Value {
        makeException(typeErrorClass, "can't define singleton", ec: ec)
    }
}
