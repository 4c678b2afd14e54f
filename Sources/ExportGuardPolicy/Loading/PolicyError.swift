/// Everything wrong with a policy file, each with its position, reported at once.
public struct PolicyError: Error, Sendable, Hashable {
    public var problems: [PolicyProblem]

    public init(_ problems: [PolicyProblem]) {
        self.problems = problems
    }
}

/// One problem in a policy file.
public struct PolicyProblem: Sendable, Hashable {
    public var file: String
    /// 1-based line and column; 0 when the problem has no position (e.g. an unreadable file).
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }
}

extension PolicyProblem: CustomStringConvertible {
    public var description: String {
        line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)"
    }
}

extension PolicyError: CustomStringConvertible {
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
