/// The native data of an OLE 1.0 Package object (what Windows' Packager writes for a file
/// dropped into a document): a type, the label, the source path, then the file itself.
/// Both an `\u{1}Ole10Native` stream and RTF's `\objdata` carry it.
enum OLE1Package {
    /// The file inside native data, with its label; nil when it is not a Package.
    static func file(in native: [UInt8]) -> (label: String, data: [UInt8])? {
        let reader = ByteReader(bytes: native)
        // Type (2: an embedded file), label\0, source path\0, 4 bytes, temp path
        // (length-prefixed), size, data.
        guard (try? reader.u16(0)) == 2 else { return nil }
        var offset = 2
        func cString() -> String? {
            guard offset < native.count, let end = native[offset...].firstIndex(of: 0), end - offset < 4096 else { return nil }
            defer { offset = end + 1 }
            return ArchiveMetadata.decode(native[offset..<end])
        }
        guard let label = cString(), cString() != nil else { return nil }
        offset += 4
        guard let tempLength = try? reader.u32(offset), tempLength < 4096 else { return nil }
        offset += 4 + tempLength
        guard let size = try? reader.u32(offset), reader.contains(offset + 4, length: size) else { return nil }
        return (label, Array(native[(offset + 4)..<(offset + 4 + size)]))
    }
}
