import ExportGuardCore
import Foundation
import Testing
@testable import ExportGuardInspection

/// Builds test inputs with the system's own tools (zip, tar, gzip, iconv) in a private
/// temporary directory, and inspects them.
final class Fixtures {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("exportguard-inspection-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> URL {
        try write(name, Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let target = url(name)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: target)
        return target
    }

    func read(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: url(name)))
    }

    /// Runs a tool in the fixture directory; fails the test when it fails.
    @discardableResult
    func run(_ tool: String, _ arguments: [String], stdin: [UInt8]? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.currentDirectoryURL = directory
        let output = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin)) }
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(tool) \(arguments) failed", sourceLocation: sourceLocation)
        return Array(data)
    }
}

/// Inspects bytes with the given chunk size (sniffing window kept small so tiny inputs
/// exercise the same paths as large ones).
func inspect(_ bytes: [UInt8], name: String = "input", chunkSize: Int = 64 * 1024, limits: InspectionLimits = InspectionLimits()) -> RecordingSink {
    let sink = RecordingSink()
    var source = MemoryByteSource(bytes)
    var limits = limits
    limits.chunkSize = chunkSize
    _ = try! Inspector(limits: limits).inspect(&source, name: name, into: sink)
    return sink
}

/// Inspects a file as the CLI does (a seekable source: zip files go through their central directory).
func inspectFile(_ url: URL, limits: InspectionLimits = InspectionLimits()) throws -> RecordingSink {
    let sink = RecordingSink()
    var source = try FileByteSource(path: url.path)
    defer { source.close() }
    _ = try Inspector(limits: limits).inspect(&source, name: url.lastPathComponent, into: sink)
    return sink
}

/// Inspecting byte by byte, in random chunks and all at once must give the same result.
func inspectAllWays(_ bytes: [UInt8], name: String = "input", limits: InspectionLimits = InspectionLimits(), sourceLocation: SourceLocation = #_sourceLocation) -> RecordingSink {
    let whole = inspect(bytes, name: name, chunkSize: max(bytes.count, 1), limits: limits)
    let oneByte = inspect(bytes, name: name, chunkSize: 1, limits: limits)
    let odd = inspect(bytes, name: name, chunkSize: 7, limits: limits)
    let large = inspect(bytes, name: name, chunkSize: 4096, limits: limits)
    for other in [oneByte, odd, large] {
        #expect(other.texts == whole.texts, sourceLocation: sourceLocation)
        #expect(other.reasons == whole.reasons, sourceLocation: sourceLocation)
    }
    return whole
}
