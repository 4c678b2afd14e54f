/// What a zip entry's local header said, kept to check against the central directory.
struct ZipEntryRecord: Hashable {
    var name: String
    var localHeaderOffset: Int
    var compressedSize: Int
    var uncompressedSize: Int
    var crc: Int
}
