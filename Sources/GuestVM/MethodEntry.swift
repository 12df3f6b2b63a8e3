import CShims

/// The C-ABI signature of every cfunc (see `CShims/include/jr_guest_api.h`).
public typealias CFunction = jr_cfunc

/// One method: what a class's method table maps a name to.
public final class MethodEntry {
    public enum Body {
        /// Guest code.
        case iseq(ISeq)
        /// A native method with a C-ABI entry point; `arity` -1 means variadic.
        /// `protected` cfuncs (all C-written ones) are called through `jr_protect_call` because they may
        /// unwind with longjmp; VM builtins report errors by returning `Value.undef` instead.
        case cfunc(CFunction, arity: Int, protected: Bool)
        /// `attr_reader` / `attr_writer` generated accessors (symbol id of the ivar).
        case ivarReader(Int)
        case ivarWriter(Int)
    }

    /// Payload-free copy of `body`'s case, plus its fields, for the interpreter's call path.
    public enum Kind: UInt8, Sendable { case iseq, cfunc, ivarReader, ivarWriter }

    public let name: String
    public let nameID: Int
    public let body: Body
    public let kind: Kind
    /// `Unmanaged<ISeq>` of an ISEQ method (owned through `body`).
    public let iseqPointer: UnsafeMutableRawPointer?
    public let function: CFunction?
    public let arity: Int
    public let isProtected: Bool
    public let ivarID: Int
    /// The class whose table holds the entry.
    public unowned(unsafe) let owner: RClass
    /// Lexical scope of an ISEQ method's definition.
    let cref: Cref?
    /// Kept out of backtraces (`raise`), as Ruby shows them.
    public let hiddenFromBacktrace: Bool

    init(name: String, nameID: Int, body: Body, owner: RClass, cref: Cref?, hiddenFromBacktrace: Bool = false) {
        self.name = name
        self.nameID = nameID
        self.body = body
        switch body {
        case .iseq(let i):
            kind = .iseq; iseqPointer = Unmanaged.passUnretained(i).toOpaque(); function = nil
            arity = i.parameterCount; isProtected = false; ivarID = 0
        case .cfunc(let f, let a, let p):
            kind = .cfunc; iseqPointer = nil; function = f; arity = a; isProtected = p; ivarID = 0
        case .ivarReader(let id):
            kind = .ivarReader; iseqPointer = nil; function = nil; arity = 0; isProtected = false; ivarID = id
        case .ivarWriter(let id):
            kind = .ivarWriter; iseqPointer = nil; function = nil; arity = 1; isProtected = false; ivarID = id
        }
        self.owner = owner
        self.cref = cref
        self.hiddenFromBacktrace = hiddenFromBacktrace
    }

    public var iseq: ISeq? {
        if case .iseq(let i) = body { return i }
        return nil
    }

    var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }
}

/// Told about every method definition, redefinition and removal (the JIT invalidates code that
/// assumed the old lookup). Called after the method table changed.
public protocol MethodChangeObserver: AnyObject {
    func methodChanged(in klass: RClass, name: String, nameID: Int)
}
