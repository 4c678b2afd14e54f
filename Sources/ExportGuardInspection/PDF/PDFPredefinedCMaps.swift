import Foundation
import Synchronization

/// The predefined CMaps and CID-to-Unicode tables of the Adobe character collections
/// (Adobe-GB1, -CNS1, -Japan1, -Korea1), read at run time from Debian's `poppler-data`
/// (`/usr/share/poppler`, or `EXPORTGUARD_POPPLER_DATA`): maintained mapping data, not
/// typed here. Loaded once per process and shared.
enum PDFPredefinedCMaps {
    static let directory: String = ProcessInfo.processInfo.environment["EXPORTGUARD_POPPLER_DATA"] ?? "/usr/share/poppler"

    private static let collections = ["Adobe-GB1", "Adobe-CNS1", "Adobe-Japan1", "Adobe-Korea1", "Adobe-KR", "Adobe-Japan2"]
    private static let cmaps = Mutex<[String: PDFCMap?]>([:])
    private static let tables = Mutex<[String: [UInt32]?]>([:])

    /// Whether the mapping data is installed at all.
    static var isAvailable: Bool { FileManager.default.fileExists(atPath: directory + "/cidToUnicode/Adobe-GB1") }

    /// The predefined CMap named `name` (its `usecmap` parents merged in), or nil when
    /// poppler-data does not have it.
    static func cmap(named name: String) -> PDFCMap? {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else { return nil }
        if let cached = cmaps.withLock({ $0[name] }) { return cached }
        var loaded: PDFCMap?
        for collection in collections {
            guard let data = FileManager.default.contents(atPath: "\(directory)/cMap/\(collection)/\(name)") else { continue }
            var map = PDFCMap(parsing: Array(data))
            var depth = 0
            while let parent = map.parent, depth < 4, let base = cmap(named: parent) {
                map.inherit(from: base)
                depth += 1
            }
            map.flatten()
            loaded = map
            break
        }
        cmaps.withLock { $0[name] = loaded }
        return loaded
    }

    /// CID → Unicode scalar (0 where none) of a character collection, e.g. `Adobe-GB1`.
    static func cidToUnicode(_ collection: String) -> [UInt32]? {
        guard collections.contains(collection) else { return nil }
        if let cached = tables.withLock({ $0[collection] }) { return cached }
        var table: [UInt32]?
        if let data = FileManager.default.contents(atPath: "\(directory)/cidToUnicode/\(collection)") {
            table = data.split(separator: 0x0A).map { UInt32(String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespaces), radix: 16) ?? 0 }
        }
        tables.withLock { $0[collection] = table }
        return table
    }
}
