import GuestSyntax

/// Compiles the AST into ISEQs. One `ScopeBuilder` per ISEQ being built; blocks see their enclosing
/// scopes' locals (resolved statically to (index, level) pairs).
public struct Compiler {
    let vm: VM
    let fileName: String
    let isInternal: Bool

    public init(vm: VM, fileName: String, isInternal: Bool = false) {
        self.vm = vm
        self.fileName = fileName
        self.isInternal = isInternal
        self.stackLimit = NativeStack.compileLimitForCurrentStack()
    }

    /// Compilation recurses once per AST level; below this address it stops with a SyntaxError instead
    /// of overflowing the native stack (the parser accepts 1,000 nesting levels, deeper than a debug
    /// build's compiler frames fit in 8 MiB).
    let stackLimit: UInt

    /// Compiles a whole program (top level, or an eval'd string) into its ISEQ.
    public func compileProgram(_ node: Node, kind: ISeq.Kind = .top) throws(SyntaxError) -> ISeq {
        let scope = ScopeBuilder(compiler: self, kind: kind, name: "<main>", parent: nil, parameters: [])
        try scope.compileBody(node)
        return scope.finish()
    }
}

/// Builds one ISEQ.
final class ScopeBuilder {
    struct Loop {
        var nextTarget: Int
        var breakPatches: [Int] = []
        var depth: Int
        var ensureLevel: Int
    }

    let compiler: Compiler
    var vm: VM { compiler.vm }
    let kind: ISeq.Kind
    let name: String
    let parent: ScopeBuilder?
    var locals: [String]
    let parameterCount: Int
    var code: [Int] = []
    var lines: [Int32] = []
    var callSites: [CallSite] = []
    var children: [ISeq] = []
    var strings: [String] = []
    /// Heap objects the code embeds (`putObject` of a boxed Integer): roots while the ISEQ lives.
    var objectLiterals: [Value] = []
    var catchTable: [ISeq.CatchEntry] = []
    var depth = 0
    var maxDepth = 0
    var line: Int32 = 1
    /// The last source line compiled (the final `leave` belongs to it).
    var lastLine: Int32 = 1
    var loops: [Loop] = []
    var ensureStack: [Node] = []

    init(compiler: Compiler, kind: ISeq.Kind, name: String, parent: ScopeBuilder?, parameters: [String]) {
        self.compiler = compiler
        self.kind = kind
        self.name = name
        self.parent = parent
        self.locals = parameters
        self.parameterCount = parameters.count
    }

    func compileBody(_ node: Node) throws(SyntaxError) {
        line = Int32(node.location.line)
        try compile(node, used: true)
        line = lastLine
        emit(.leave, delta: -1)
    }

    func finish() -> ISeq {
        ISeq(kind: kind, name: name, fileName: compiler.fileName, code: code, lines: lines, callSites: callSites,
             parameterCount: parameterCount, localNames: locals, maxStack: maxDepth + 2, catchTable: catchTable,
             children: children, stringLiterals: strings, objectLiterals: objectLiterals, isInternal: compiler.isInternal,
             registry: vm.iseqs)
    }

    // MARK: Emission

    // Overloads for up to three operands (nearly every instruction): the variadic form builds an array
    // per instruction, a third of compiling's cost in emitting.
    @discardableResult
    func emit(_ op: Opcode, delta: Int) -> Int {
        let at = code.count
        append(op.rawValue)
        adjust(delta)
        return at
    }

    @discardableResult
    func emit(_ op: Opcode, _ a: Int, delta: Int) -> Int {
        let at = emit(op, delta: delta)
        append(a)
        return at
    }

    @discardableResult
    func emit(_ op: Opcode, _ a: Int, _ b: Int, delta: Int) -> Int {
        let at = emit(op, a, delta: delta)
        append(b)
        return at
    }

    @discardableResult
    func emit(_ op: Opcode, _ a: Int, _ b: Int, _ c: Int, delta: Int) -> Int {
        let at = emit(op, a, b, delta: delta)
        append(c)
        return at
    }

    @discardableResult
    func emit(_ op: Opcode, _ a: Int, _ b: Int, _ c: Int, _ d: Int, _ more: Int..., delta: Int) -> Int {
        let at = emit(op, a, b, c, delta: delta)
        append(d)
        for operand in more { append(operand) }
        return at
    }

    /// One word of code and its line.
    @inline(__always)
    private func append(_ word: Int) {
        code.append(word)
        lines.append(line)
    }

    func adjust(_ delta: Int) {
        depth += delta
        if depth > maxDepth { maxDepth = depth }
    }

    /// Emits a jump-like instruction and returns the index of its target operand for `patch`.
    func emitJump(_ op: Opcode, delta: Int) -> Int {
        emit(op, -1, delta: delta) + 1
    }

    func patch(_ operandIndex: Int, to target: Int) { code[operandIndex] = target }
    var here: Int { code.count }

    func callSite(_ name: String, argc: Int, block: ISeq? = nil, flags: Int = 0) -> Int {
        let ptr = block.map { Unmanaged.passUnretained($0).toOpaque() }
        callSites.append(CallSite(methodID: vm.symbols.id(name), argc: argc, blockISeq: ptr, flags: flags))
        return callSites.count - 1
    }

    func child(_ iseq: ISeq) -> Int {
        children.append(iseq)
        return children.count - 1
    }

    func error(_ message: String, _ node: Node) -> SyntaxError {
        SyntaxError(fileName: compiler.fileName, location: node.location, message: message)
    }

    /// True when this scope is a method body or a block inside one (where `yield` has a meaning).
    var insideMethod: Bool {
        var scope: ScopeBuilder? = self
        while let s = scope {
            if s.kind == .method { return true }
            guard s.kind == .block else { return false }
            scope = s.parent
        }
        return false
    }

    // MARK: Locals

    func resolve(_ name: String) -> (index: Int, level: Int)? {
        var scope: ScopeBuilder? = self
        var level = 0
        while let s = scope {
            if let i = s.locals.firstIndex(of: name) { return (i, level) }
            guard s.kind == .block else { return nil }
            scope = s.parent
            level += 1
        }
        return nil
    }

    func resolveOrDeclare(_ name: String) -> (index: Int, level: Int) {
        if let r = resolve(name) { return r }
        locals.append(name)
        return (locals.count - 1, 0)
    }

    func emitGetLocal(_ r: (index: Int, level: Int)) {
        if r.level == 0 { emit(.getLocal0, r.index, delta: 1) } else { emit(.getLocal, r.index, r.level, delta: 1) }
    }

    func emitSetLocal(_ r: (index: Int, level: Int)) {
        if r.level == 0 { emit(.setLocal0, r.index, delta: -1) } else { emit(.setLocal, r.index, r.level, delta: -1) }
    }

    // MARK: Expressions

    func compile(_ node: Node, used: Bool) throws(SyntaxError) {
        if NativeStack.currentAddress() < compiler.stackLimit {
            throw error("nesting too deep to compile", node)
        }
        let savedLine = line
        line = Int32(node.location.line)
        lastLine = max(lastLine, line)
        defer { line = savedLine }
        switch node.kind {
        case .integer(let n):
            if used {
                let literal = vm.integer(n)
                if literal.isHeapObject { objectLiterals.append(literal) }
                emit(.putObject, Int(bitPattern: UInt(literal.raw)), delta: 1)
            }
        case .string(let s):
            if used {
                strings.append(s)
                emit(.putString, strings.count - 1, delta: 1)
            }
        case .interpolatedString(let parts):
            for part in parts {
                switch part {
                case .literal(let s):
                    strings.append(s)
                    emit(.putString, strings.count - 1, delta: 1)
                case .interpolation(let n):
                    try compile(n, used: true)
                    emit(.toString, delta: 0)
                }
            }
            emit(.concatStrings, parts.count, delta: 1 - parts.count)
            if !used { emit(.pop, delta: -1) }
        case .symbol(let s):
            if used { emit(.putObject, Int(bitPattern: UInt(vm.symbol(s).raw)), delta: 1) }
        case .array(let elements):
            for e in elements { try compile(e, used: true) }
            emit(.newArray, elements.count, delta: 1 - elements.count)
            if !used { emit(.pop, delta: -1) }
        case .nil: if used { emit(.putNil, delta: 1) }
        case .true: if used { emit(.putTrue, delta: 1) }
        case .false: if used { emit(.putFalse, delta: 1) }
        case .self: if used { emit(.putSelf, delta: 1) }

        case .localVariable(let name):
            if used { emitGetLocal(resolveOrDeclare(name)) }
        case .localAssign(let name, let value):
            let r = resolveOrDeclare(name)
            try compile(value, used: true)
            if used { emit(.dup, delta: 1) }
            emitSetLocal(r)
        case .globalVariable(let name):
            if used { emit(.getGlobal, vm.symbols.id(name), delta: 1) }
        case .globalAssign(let name, let value):
            try compile(value, used: true)
            if used { emit(.dup, delta: 1) }
            emit(.setGlobal, vm.symbols.id(name), delta: -1)
        case .instanceVariable(let name):
            if used { emit(.getIvar, vm.symbols.id(name), delta: 1) }
        case .instanceVariableAssign(let name, let value):
            try compile(value, used: true)
            if used { emit(.dup, delta: 1) }
            emit(.setIvar, vm.symbols.id(name), delta: -1)
        case .constant(let scope, let name, let topLevel):
            if let scope {
                try compile(scope, used: true)
                emit(.getConstantFrom, vm.symbols.id(name), delta: 0)
            } else if topLevel {
                emit(.putObject, Int(bitPattern: UInt(Value.object(vm.objectClass).raw)), delta: 1)
                emit(.getConstantFrom, vm.symbols.id(name), delta: 0)
            } else {
                emit(.getConstant, vm.symbols.id(name), delta: 1)
            }
            if !used { emit(.pop, delta: -1) }
        case .constantAssign(let name, let value):
            try compile(value, used: true)
            if used { emit(.dup, delta: 1) }
            emit(.setConstant, vm.symbols.id(name), delta: -1)
        case .operatorAssign(let target, let op, let value):
            try compileOperatorAssign(target, op, value, used: used, node: node)

        case .call(let receiver, let name, let arguments, let block, let hasParentheses):
            try compileCall(receiver: receiver, name: name, arguments: arguments, block: block,
                            hasParentheses: hasParentheses, used: used)
        case .attributeAssign(let receiver, let name, let arguments):
            if used { emit(.putNil, delta: 1) }
            try compile(receiver, used: true)
            for a in arguments { try compile(a, used: true) }
            if used { emit(.setN, arguments.count + 1, delta: 0) }
            emitSend(name, argc: arguments.count, block: nil, flags: 0)
            emit(.pop, delta: -1)
        case .yield(let arguments):
            if !insideMethod { throw error("Invalid yield", node) }
            emit(.putNil, delta: 1)
            for a in arguments { try compile(a, used: true) }
            emit(.invokeBlock, callSite("yield", argc: arguments.count), delta: -arguments.count)
            if !used { emit(.pop, delta: -1) }

        case .not(let operand):
            try compile(operand, used: true)
            emit(.optNot, callSite("!", argc: 0), delta: 0)
            if !used { emit(.pop, delta: -1) }
        case .and(let lhs, let rhs):
            try compile(lhs, used: true)
            if used { emit(.dup, delta: 1) }
            let skip = emitJump(.branchUnless, delta: -1)
            if used { emit(.pop, delta: -1) }
            try compile(rhs, used: used)
            patch(skip, to: here)
        case .or(let lhs, let rhs):
            try compile(lhs, used: true)
            if used { emit(.dup, delta: 1) }
            let skip = emitJump(.branchIf, delta: -1)
            if used { emit(.pop, delta: -1) }
            try compile(rhs, used: used)
            patch(skip, to: here)

        case .sequence(let nodes):
            if nodes.isEmpty {
                if used { emit(.putNil, delta: 1) }
            }
            for (i, n) in nodes.enumerated() { try compile(n, used: used && i == nodes.count - 1) }
        case .if(let condition, let thenBody, let elseBody):
            try compile(condition, used: true)
            let toElse = emitJump(.branchUnless, delta: -1)
            let base = depth
            if let thenBody { try compile(thenBody, used: used) } else if used { emit(.putNil, delta: 1) }
            let toEnd = emitJump(.jump, delta: 0)
            depth = base
            patch(toElse, to: here)
            if let elseBody { try compile(elseBody, used: used) } else if used { emit(.putNil, delta: 1) }
            patch(toEnd, to: here)
        case .while(let condition, let body):
            try compileWhile(condition, body, used: used)
        case .break(let value):
            // Code after a jump is unreachable: the depth continues as if the expression left a value.
            let before = depth
            try compileBreak(value, node: node)
            depth = before + (used ? 1 : 0)
        case .next(let value):
            let before = depth
            try compileNext(value, node: node)
            depth = before + (used ? 1 : 0)
        case .return(let value):
            let before = depth
            try compileReturn(value, node: node)
            depth = before + (used ? 1 : 0)
        case .begin(let body, let rescues, let elseBody, let ensureBody):
            try compileBegin(body, rescues, elseBody, ensureBody, used: used)

        case .methodDefinition(let name, let parameters, let body, let singleton):
            let scope = ScopeBuilder(compiler: compiler, kind: .method, name: name, parent: nil, parameters: parameters)
            try scope.compileBody(body)
            let method = scope.finish()
            let nameID = vm.symbols.id(name)
            method.nameSymbolID = nameID
            let index = child(method)
            if let singleton {
                try compile(singleton, used: true)
                emit(.defineSingletonMethod, nameID, index, delta: 0)
            } else {
                emit(.defineMethod, nameID, index, delta: 1)
            }
            if !used { emit(.pop, delta: -1) }
        case .classDefinition(let path, let superclass, let body):
            let name = try compileClassPath(path)
            if let superclass { try compile(superclass, used: true) } else { emit(.putNil, delta: 1) }
            let scope = ScopeBuilder(compiler: compiler, kind: .classBody, name: "<class:\(name)>", parent: nil, parameters: [])
            try scope.compileBody(body)
            emit(.defineClass, vm.symbols.id(name), child(scope.finish()), superclass == nil ? 0 : 1, delta: -1)
            if !used { emit(.pop, delta: -1) }
        case .moduleDefinition(let path, let body):
            let name = try compileClassPath(path)
            let scope = ScopeBuilder(compiler: compiler, kind: .classBody, name: "<module:\(name)>", parent: nil, parameters: [])
            try scope.compileBody(body)
            emit(.defineModule, vm.symbols.id(name), child(scope.finish()), delta: 0)
            if !used { emit(.pop, delta: -1) }
        }
    }

    /// Pushes the class-definition scope (cbase) and returns the class's simple name.
    func compileClassPath(_ path: Node) throws(SyntaxError) -> String {
        guard case .constant(let scope, let name, let topLevel) = path.kind else {
            throw error("class/module name must be a constant", path)
        }
        if let scope {
            try compile(scope, used: true)
        } else if topLevel {
            emit(.putObject, Int(bitPattern: UInt(Value.object(vm.objectClass).raw)), delta: 1)
        } else {
            emit(.putCBase, delta: 1)
        }
        return name
    }

    // MARK: Calls

    static let binaryOps: [String: Opcode] = [
        "+": .optPlus, "-": .optMinus, "*": .optMult, "/": .optDiv, "%": .optMod, "<": .optLt, "<=": .optLe,
        ">": .optGt, ">=": .optGe, "==": .optEq, "!=": .optNeq, "[]": .optAref, "<<": .optLtLt,
    ]

    func emitSend(_ name: String, argc: Int, block: ISeq?, flags: Int) {
        if block == nil {
            if argc == 1, let op = ScopeBuilder.binaryOps[name] {
                emit(op, callSite(name, argc: 1), delta: -1)
                return
            }
            if argc == 2 && name == "[]=" {
                emit(.optAset, callSite(name, argc: 2), delta: -2)
                return
            }
            if argc == 0 && name == "size" {
                emit(.optSize, callSite(name, argc: 0), delta: 0)
                return
            }
            if argc == 0 && name == "!" {
                emit(.optNot, callSite(name, argc: 0), delta: 0)
                return
            }
        }
        emit(.send, callSite(name, argc: argc, block: block, flags: flags), delta: -argc)
    }

    func compileCall(receiver: Node?, name: String, arguments: [Node], block: BlockLiteral?,
                     hasParentheses: Bool, used: Bool) throws(SyntaxError) {
        var name = name
        if receiver != nil && arguments.isEmpty && (name == "-" || name == "+") && !hasParentheses {
            name += "@"
        }
        var flags = 0
        if let receiver {
            try compile(receiver, used: true)
        } else {
            emit(.putSelf, delta: 1)
            flags |= CallSite.Flags.implicitSelf
            if arguments.isEmpty && !hasParentheses && block == nil { flags |= CallSite.Flags.variableLike }
        }
        for a in arguments { try compile(a, used: true) }
        var blockISeq: ISeq?
        if let block {
            let scope = ScopeBuilder(compiler: compiler, kind: .block, name: "block", parent: self, parameters: block.parameters)
            try scope.compileBody(block.body)
            let iseq = scope.finish()
            _ = child(iseq)
            blockISeq = iseq
        }
        emitSend(name, argc: arguments.count, block: blockISeq, flags: flags)
        if !used { emit(.pop, delta: -1) }
    }

    func compileOperatorAssign(_ target: Node, _ op: String, _ value: Node, used: Bool, node: Node) throws(SyntaxError) {
        switch target.kind {
        case .localVariable(let name):
            let r = resolveOrDeclare(name)
            emitGetLocal(r)
            try compile(value, used: true)
            emitSend(op, argc: 1, block: nil, flags: 0)
            if used { emit(.dup, delta: 1) }
            emitSetLocal(r)
        case .instanceVariable(let name):
            let id = vm.symbols.id(name)
            emit(.getIvar, id, delta: 1)
            try compile(value, used: true)
            emitSend(op, argc: 1, block: nil, flags: 0)
            if used { emit(.dup, delta: 1) }
            emit(.setIvar, id, delta: -1)
        case .globalVariable(let name):
            let id = vm.symbols.id(name)
            emit(.getGlobal, id, delta: 1)
            try compile(value, used: true)
            emitSend(op, argc: 1, block: nil, flags: 0)
            if used { emit(.dup, delta: 1) }
            emit(.setGlobal, id, delta: -1)
        case .call(let receiver?, let name, let arguments, nil, _):
            // putnil recv args... ; dupN ; send reader ; value ; op ; setN ; send writer ; pop
            emit(.putNil, delta: 1)
            try compile(receiver, used: true)
            for a in arguments { try compile(a, used: true) }
            let n = arguments.count + 1
            emit(.dupN, n, delta: n)
            emitSend(name, argc: arguments.count, block: nil, flags: 0)
            try compile(value, used: true)
            emitSend(op, argc: 1, block: nil, flags: 0)
            emit(.setN, n + 1, delta: 0)
            let writer = name == "[]" ? "[]=" : name + "="
            emitSend(writer, argc: arguments.count + 1, block: nil, flags: 0)
            emit(.pop, delta: -1)
            if !used { emit(.pop, delta: -1) }
        default:
            throw error("unsupported target for \(op)=", node)
        }
    }

    // MARK: Control flow

    func compileWhile(_ condition: Node, _ body: Node, used: Bool) throws(SyntaxError) {
        let toCondition = emitJump(.jump, delta: 0)
        let bodyStart = here
        loops.append(Loop(nextTarget: -1, depth: depth, ensureLevel: ensureStack.count))
        try compile(body, used: false)
        let conditionStart = here
        patch(toCondition, to: conditionStart)
        try compile(condition, used: true)
        let back = emitJump(.branchIf, delta: -1)
        patch(back, to: bodyStart)
        emit(.putNil, delta: 1)
        let loop = loops.removeLast()
        for p in loop.breakPatches { patch(p, to: here) }
        // `next` jumps recorded with target -1 point at the condition.
        for (i, word) in code.enumerated() where i >= bodyStart && i < conditionStart && word == -2 {
            code[i] = conditionStart
        }
        if !used { emit(.pop, delta: -1) }
    }

    /// Emits the bodies of the open `ensure` clauses above `level` (innermost first), for a jump out.
    func emitEnsures(downTo level: Int) throws(SyntaxError) {
        let saved = ensureStack
        while ensureStack.count > level {
            let body = ensureStack.removeLast()
            try compile(body, used: false)
        }
        ensureStack = saved
    }

    func compileBreak(_ value: Node?, node: Node) throws(SyntaxError) {
        if let loop = loops.last {
            if let value { try compile(value, used: true) } else { emit(.putNil, delta: 1) }
            try emitEnsures(downTo: loop.ensureLevel)
            let extra = depth - loop.depth - 1
            if extra > 0 { emit(.popUnder, extra, delta: -extra) }
            let p = emitJump(.jump, delta: 0)
            loops[loops.count - 1].breakPatches.append(p)
            return
        }
        if kind == .block {
            if let value { try compile(value, used: true) } else { emit(.putNil, delta: 1) }
            emit(.throwBreak, delta: -1)
            return
        }
        throw error("Invalid break", node)
    }

    func compileNext(_ value: Node?, node: Node) throws(SyntaxError) {
        if let loop = loops.last {
            if let value { try compile(value, used: false) }
            try emitEnsures(downTo: loop.ensureLevel)
            let extra = depth - loop.depth
            if extra > 0 {
                emit(.putNil, delta: 1)
                emit(.popUnder, extra, delta: -extra)
                emit(.pop, delta: -1)
            }
            let p = emitJump(.jump, delta: 0)
            code[p] = -2  // patched to the loop's condition by compileWhile
            return
        }
        if kind == .block {
            if let value { try compile(value, used: true) } else { emit(.putNil, delta: 1) }
            try emitEnsures(downTo: 0)
            emit(.leave, delta: -1)
            return
        }
        throw error("Invalid next", node)
    }

    func compileReturn(_ value: Node?, node: Node) throws(SyntaxError) {
        if let value { try compile(value, used: true) } else { emit(.putNil, delta: 1) }
        if kind == .block {
            emit(.throwReturn, delta: -1)
        } else {
            try emitEnsures(downTo: 0)
            emit(.leave, delta: -1)
        }
    }

    func compileBegin(_ body: Node, _ rescues: [RescueClause], _ elseBody: Node?, _ ensureBody: Node?,
                      used: Bool) throws(SyntaxError) {
        guard let ensureBody else {
            try compileRescue(body, rescues, elseBody)
            if !used { emit(.pop, delta: -1) }
            return
        }
        let startDepth = depth
        ensureStack.append(ensureBody)
        let start = here
        try compileRescue(body, rescues, elseBody)
        let end = here
        ensureStack.removeLast()
        try compile(ensureBody, used: false)
        let toAfter = emitJump(.jump, delta: 0)
        depth = startDepth + 1
        let handler = here
        try compile(ensureBody, used: false)
        emit(.rethrow, delta: -1)
        depth = startDepth + 1
        patch(toAfter, to: here)
        catchTable.append(.init(kind: .ensure, start: start, end: end, handler: handler, stackDepth: startDepth))
        if !used { emit(.pop, delta: -1) }
    }

    /// body [rescue clauses] [else]: leaves one value.
    func compileRescue(_ body: Node, _ rescues: [RescueClause], _ elseBody: Node?) throws(SyntaxError) {
        guard !rescues.isEmpty else {
            try compile(body, used: true)
            if let elseBody {
                emit(.pop, delta: -1)
                try compile(elseBody, used: true)
            }
            return
        }
        let startDepth = depth
        let start = here
        try compile(body, used: true)
        let end = here
        if let elseBody {
            emit(.pop, delta: -1)
            try compile(elseBody, used: true)
        }
        var toAfter = [emitJump(.jump, delta: 0)]
        depth = startDepth + 1
        let handler = here
        var clauseJumps: [[Int]] = []
        for clause in rescues {
            var jumps: [Int] = []
            let classes = clause.exceptionClasses.isEmpty
                ? [Node(.constant(scope: nil, name: "StandardError", topLevel: true), at: clause.body.location)]
                : clause.exceptionClasses
            for cls in classes {
                emit(.dup, delta: 1)
                try compile(cls, used: true)
                emit(.rescueMatch, delta: -1)
                jumps.append(emitJump(.branchIf, delta: -1))
            }
            clauseJumps.append(jumps)
        }
        emit(.rethrow, delta: -1)
        for (clause, jumps) in zip(rescues, clauseJumps) {
            depth = startDepth + 1
            for j in jumps { patch(j, to: here) }
            if let v = clause.variable {
                emitSetLocal(resolveOrDeclare(v))
            } else {
                emit(.pop, delta: -1)
            }
            try compile(clause.body, used: true)
            toAfter.append(emitJump(.jump, delta: 0))
        }
        depth = startDepth + 1
        for j in toAfter { patch(j, to: here) }
        catchTable.append(.init(kind: .rescue, start: start, end: end, handler: handler, stackDepth: startDepth))
    }
}
