import ArgumentParser
import ExportGuardCore
import ExportGuardInspection

/// `exportguard text FILE`: the text ExportGuard reads from a file, part by part — what
/// the matcher sees. For checking a decoder against a reference tool (`pdftotext`) and for
/// finding out why something was or was not found.
struct TextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text",
        abstract: "Print the text read from a file, each part under its location; parts not inspected go to standard error.")

    @Argument(help: "The file to read.")
    var file: String

    @Flag(help: "Print the text only, without the location lines.")
    var plain = false

    @Option(name: .customLong("only"), help: "Print only text at positions that start with this (e.g. 'page=' for a PDF's pages).")
    var positionPrefix: String?

    func run() throws {
        let sink = TextDumpSink(plain: plain, positionPrefix: positionPrefix)
        do {
            var source = try FileByteSource(path: file)
            defer { source.close() }
            _ = try Inspector().inspect(&source, name: file, into: sink)
        } catch {
            sink.flush()
            StandardStreams.error("exportguard: \(error)")
            if case .cannotOpen = error { throw ExitCode(ExitStatus.noInput) }
            throw ExitCode(ExitStatus.ioError)
        }
        sink.flush()
    }
}

/// Prints text parts as they arrive.
final class TextDumpSink: InspectionSink {
    private let plain: Bool
    private let positionPrefix: String?
    private var location: Location?
    private var printing = true
    private var pending: [UInt8] = []

    init(plain: Bool, positionPrefix: String?) {
        self.plain = plain
        self.positionPrefix = positionPrefix
    }

    func beginText(at location: Location) {
        self.location = location
        printing = positionPrefix == nil
        if printing { heading(location) }
    }

    func text(_ bytes: UnsafeRawBufferPointer) {
        guard printing else { return }
        pending.append(contentsOf: bytes)
        if pending.count >= 1 << 16 { flush() }
    }

    func endText() {
        flush()
    }

    func mark(_ position: Location.Position) {
        guard let location else { return }
        if let positionPrefix {
            guard case .element(let label) = position else {
                printing = false
                return
            }
            printing = label.hasPrefix(positionPrefix)
        }
        if printing { heading(location.at(position)) }
    }

    func uninspected(at location: Location, reason: UninspectedReason) {
        flush()
        StandardStreams.error("\(location): not inspected: \(reason)")
    }

    func media(_ part: MediaPart) {}

    private func heading(_ location: Location) {
        guard !plain else { return }
        flush()
        StandardStreams.out("== \(location)")
    }

    func flush() {
        guard !pending.isEmpty else { return }
        StandardStreams.out(String(decoding: pending, as: UTF8.self), terminator: "")
        pending.removeAll(keepingCapacity: true)
    }
}
