/// A compact S-expression rendering of the AST, for tests and debugging (`jitstack` may expose it).
///
/// Locals print bare (`x`), calls as `(call receiver name args...)` with `.` for an implicit self and
/// `name()` when written with parentheses, blocks as `{|params| body}`; absent branches print `_`.
public func dumpAST(_ node: Node) -> String {
    var output = ""
    dump(node, into: &output)
    return output
}

private func dump(_ node: Node?, into out: inout String) {
    guard let node else {
        out += "_"
        return
    }
    switch node.kind {
    case .integer(let value): out += String(value)
    case .string(let text): out += quoted(text)
    case .interpolatedString(let parts):
        out += "(dstr"
        for part in parts {
            out += " "
            switch part {
            case .literal(let text): out += quoted(text)
            case .interpolation(let inner): dump(inner, into: &out)
            }
        }
        out += ")"
    case .symbol(let name): out += ":" + name
    case .array(let elements): list("[", elements, "]", into: &out)
    case .nil: out += "nil"
    case .true: out += "true"
    case .false: out += "false"
    case .self: out += "self"
    case .localVariable(let name): out += name
    case .localAssign(let name, let value): assignment(name, value, into: &out)
    case .globalVariable(let name): out += "$" + name
    case .globalAssign(let name, let value): assignment("$" + name, value, into: &out)
    case .instanceVariable(let name): out += "@" + name
    case .instanceVariableAssign(let name, let value): assignment("@" + name, value, into: &out)
    case .constant(let scope, let name, let topLevel):
        if let scope {
            dump(scope, into: &out)
            out += "::"
        } else if topLevel {
            out += "::"
        }
        out += name
    case .constantAssign(let name, let value): assignment(name, value, into: &out)
    case .operatorAssign(let target, let op, let value):
        out += "(\(op)= "
        dump(target, into: &out)
        out += " "
        dump(value, into: &out)
        out += ")"
    case .call(let receiver, let name, let arguments, let block, let hasParentheses):
        out += "(call "
        if let receiver { dump(receiver, into: &out) } else { out += "." }
        out += " " + name + (hasParentheses ? "()" : "")
        for argument in arguments {
            out += " "
            dump(argument, into: &out)
        }
        if let block {
            out += " {|" + block.parameters.joined(separator: " ") + "| "
            dump(block.body, into: &out)
            out += "}"
        }
        out += ")"
    case .attributeAssign(let receiver, let name, let arguments):
        out += "(attrasgn "
        dump(receiver, into: &out)
        out += " " + name
        for argument in arguments {
            out += " "
            dump(argument, into: &out)
        }
        out += ")"
    case .yield(let arguments): list("(yield", arguments, ")", into: &out, leadingSpace: true)
    case .not(let operand): list("(!", [operand], ")", into: &out, leadingSpace: true)
    case .and(let left, let right): list("(&&", [left, right], ")", into: &out, leadingSpace: true)
    case .or(let left, let right): list("(||", [left, right], ")", into: &out, leadingSpace: true)
    case .sequence(let statements): list("(seq", statements, ")", into: &out, leadingSpace: true)
    case .if(let condition, let thenBranch, let elseBranch):
        out += "(if "
        dump(condition, into: &out)
        out += " "
        dump(thenBranch, into: &out)
        out += " "
        dump(elseBranch, into: &out)
        out += ")"
    case .while(let condition, let body): list("(while", [condition, body], ")", into: &out, leadingSpace: true)
    case .break(let value): optionalValue("break", value, into: &out)
    case .next(let value): optionalValue("next", value, into: &out)
    case .return(let value): optionalValue("return", value, into: &out)
    case .begin(let body, let rescues, let elseBody, let ensureBody):
        out += "(begin "
        dump(body, into: &out)
        for clause in rescues {
            list(" (rescue [", clause.exceptionClasses, "]", into: &out)
            if let variable = clause.variable { out += " => " + variable }
            out += " "
            dump(clause.body, into: &out)
            out += ")"
        }
        if let elseBody {
            out += " (else "
            dump(elseBody, into: &out)
            out += ")"
        }
        if let ensureBody {
            out += " (ensure "
            dump(ensureBody, into: &out)
            out += ")"
        }
        out += ")"
    case .methodDefinition(let name, let parameters, let body, let singleton):
        if let singleton {
            out += "(defs "
            dump(singleton, into: &out)
            out += " "
        } else {
            out += "(def "
        }
        out += name + " (" + parameters.joined(separator: " ") + ") "
        dump(body, into: &out)
        out += ")"
    case .classDefinition(let path, let superclass, let body):
        list("(class", [path], "", into: &out, leadingSpace: true)
        out += " "
        dump(superclass, into: &out)
        out += " "
        dump(body, into: &out)
        out += ")"
    case .moduleDefinition(let path, let body): list("(module", [path, body], ")", into: &out, leadingSpace: true)
    }
}

private func list(_ open: String, _ nodes: [Node], _ close: String, into out: inout String, leadingSpace: Bool = false) {
    out += open
    for (index, node) in nodes.enumerated() {
        if leadingSpace || index > 0 { out += " " }
        dump(node, into: &out)
    }
    out += close
}

private func assignment(_ target: String, _ value: Node, into out: inout String) {
    out += "(= " + target + " "
    dump(value, into: &out)
    out += ")"
}

private func optionalValue(_ keyword: String, _ value: Node?, into out: inout String) {
    out += "(" + keyword
    if let value {
        out += " "
        dump(value, into: &out)
    }
    out += ")"
}

private func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\t": result += "\\t"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                result += "\\x" + String(scalar.value, radix: 16, uppercase: true)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
    return result + "\""
}
