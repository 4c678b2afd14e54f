import ExportGuardCore
import Yams

/// Reads a composed YAML tree into typed values, collecting every problem with its
/// position instead of stopping at the first one.
struct PolicyNodeReader {
    let file: String
    private(set) var problems: [PolicyProblem] = []

    init(file: String) {
        self.file = file
    }

    mutating func problem(_ node: Node?, _ message: String) {
        let mark = node?.mark
        problems.append(PolicyProblem(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, message: message))
    }

    /// The pairs of a mapping, reporting keys that are not in `allowed`.
    mutating func mapping(_ node: Node, _ what: String, allowed: Set<String>) -> [(key: String, keyNode: Node, value: Node)]? {
        guard let mapping = node.mapping else {
            problem(node, "\(what) must be a mapping")
            return nil
        }
        var result: [(String, Node, Node)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                problem(keyNode, "keys in \(what) must be plain strings")
                continue
            }
            guard allowed.contains(key) else {
                let known = allowed.sorted().joined(separator: ", ")
                problem(keyNode, "unknown key '\(key)' in \(what) (known: \(known))")
                continue
            }
            result.append((key, keyNode, value))
        }
        return result
    }

    mutating func string(_ node: Node, _ what: String) -> String? {
        guard let scalar = node.scalar else {
            problem(node, "\(what) must be a string")
            return nil
        }
        return scalar.string
    }

    mutating func nonEmptyString(_ node: Node, _ what: String) -> String? {
        guard let value = string(node, what) else { return nil }
        if value.isEmpty {
            problem(node, "\(what) must not be empty")
            return nil
        }
        return value
    }

    mutating func integer(_ node: Node, _ what: String, in range: ClosedRange<Int>) -> Int? {
        guard let scalar = node.scalar, let value = Int(scalar.string) else {
            problem(node, "\(what) must be an integer")
            return nil
        }
        guard range.contains(value) else {
            problem(node, "\(what) must be between \(range.lowerBound) and \(range.upperBound), not \(value)")
            return nil
        }
        return value
    }

    mutating func number(_ node: Node, _ what: String, in range: ClosedRange<Double>) -> Double? {
        guard let scalar = node.scalar, let value = Double(scalar.string) else {
            problem(node, "\(what) must be a number")
            return nil
        }
        guard range.contains(value) else {
            problem(node, "\(what) must be between \(range.lowerBound) and \(range.upperBound), not \(scalar.string)")
            return nil
        }
        return value
    }

    mutating func bool(_ node: Node, _ what: String) -> Bool? {
        switch node.scalar?.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            problem(node, "\(what) must be true or false")
            return nil
        }
    }

    mutating func sequence(_ node: Node, _ what: String) -> [Node]? {
        guard let sequence = node.sequence else {
            problem(node, "\(what) must be a list")
            return nil
        }
        return Array(sequence)
    }

    mutating func strings(_ node: Node, _ what: String) -> [String]? {
        guard let items = sequence(node, what) else { return nil }
        return items.compactMap { nonEmptyString($0, "an entry of \(what)") }
    }

    mutating func verdict(_ node: Node, _ what: String) -> Verdict? {
        guard let text = string(node, what) else { return nil }
        guard let verdict = Verdict(rawValue: text) else {
            problem(node, "\(what) must be allow, review or block, not '\(text)'")
            return nil
        }
        return verdict
    }

    mutating func confidence(_ node: Node, _ what: String) -> Confidence? {
        guard let text = string(node, what) else { return nil }
        guard let confidence = Confidence(rawValue: text) else {
            problem(node, "\(what) must be low, medium or high, not '\(text)'")
            return nil
        }
        return confidence
    }
}
