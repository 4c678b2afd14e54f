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

    /// The CMaps poppler-data has, by name and collection, listed once: only names that
    /// exist are looked up and cached (a document's names are chosen by whoever wrote it).
    private static let available: [String: String] = {
        var names: [String: String] = [:]
        for collection in collections {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: "\(directory)/cMap/\(collection)")) ?? [] where names[name] == nil {
                names[name] = collection
            }
        }
        return names
    }()

    /// The predefined CMap named `name` (its `usecmap` parents merged in), or nil when
    /// poppler-data does not have it.
    static func cmap(named name: String) -> PDFCMap? {
        guard let collection = available[name] else { return nil }
        if let cached = cmaps.withLock({ $0[name] }) { return cached }
        var loaded: PDFCMap?
        if let data = FileManager.default.contents(atPath: "\(directory)/cMap/\(collection)/\(name)") {
            var map = PDFCMap(parsing: Array(data))
            // `usecmap` parents (a -V map builds on its -H map), a few levels at most.
            var depth = 0
            while let parent = map.parent, parent != name, depth < 4, let base = cmap(named: parent) {
                map.inherit(from: base)
                depth += 1
            }
            map.flatten()
            loaded = map
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
