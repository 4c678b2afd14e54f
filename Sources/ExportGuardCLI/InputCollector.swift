import Foundation

/// Expands the command line's paths into the inputs to scan: files as given,
/// directories recursively in a stable (byte-wise sorted) order, `-` for standard input.
struct InputCollector {
    enum Input: Equatable, Sendable {
        case standardInput
        case file(String)
        case missing(String, reason: String)
    }

    static func expand(_ paths: [String]) -> [Input] {
        var inputs: [Input] = []
        for path in paths {
            if path == "-" {
                inputs.append(.standardInput)
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                inputs.append(.missing(path, reason: "no such file or directory"))
                continue
            }
            if isDirectory.boolValue {
                walk(path, into: &inputs)
            } else {
                inputs.append(.file(path))
            }
        }
        return inputs
    }

    private static func walk(_ directory: String, into inputs: inout [Input]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            inputs.append(.missing(directory, reason: "cannot list directory"))
            return
        }
        for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  let type = attributes[.type] as? FileAttributeType else { continue }
            switch type {
            case .typeDirectory: walk(path, into: &inputs)
            case .typeRegular: inputs.append(.file(path))
            default: continue // symbolic links, sockets, devices: not followed
            }
        }
    }
}
