import Crypto
import CryptoExtras
import Foundation

/// The standard security handler (§7.6.3–7.6.4), opened with the empty user password.
///
/// Most encrypted PDFs that firms send carry an owner password only ("restrictions" on
/// printing or copying): anyone may open them, so their text must be read. A file that
/// needs a real user password, or another security handler, cannot be: ``PDFError/encrypted``.
struct PDFSecurityHandler {
    enum Cipher {
        case none
        case rc4
        case aes
    }

    /// The file key, from the empty user password.
    let key: [UInt8]
    /// Revision 5 and 6 (AES-256) use the file key for every object as it is.
    let perObjectKeys: Bool
    let streamCipher: Cipher
    let stringCipher: Cipher
    /// Whether the XMP metadata stream is encrypted too.
    let encryptsMetadata: Bool

    private static let padding: [UInt8] = [
        0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
        0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
    ]

    /// Opens the handler of an `/Encrypt` dictionary; throws `encrypted` when the empty
    /// password does not open the file.
    init(_ dictionary: PDFDictionary, firstID: [UInt8]) throws(PDFError) {
        guard dictionary["Filter"]?.name == "Standard" else { throw .encrypted }
        let version = dictionary["V"]?.integer ?? 0
        let revision = dictionary["R"]?.integer ?? 0
        guard let owner = dictionary["O"]?.string, let user = dictionary["U"]?.string else {
            throw .corrupt("the encryption dictionary has no /O or /U")
        }
        encryptsMetadata = {
            if case .boolean(let value)? = dictionary["EncryptMetadata"] { return value }
            return true
        }()
        switch version {
        case 1, 2:
            streamCipher = .rc4
            stringCipher = .rc4
        case 4, 5:
            let filters = dictionary["CF"]?.dictionary
            func cipher(_ name: String?) throws(PDFError) -> Cipher {
                guard let name, name != "Identity" else { return .none }
                switch filters?[name]?.dictionary?["CFM"]?.name {
                case "V2": return .rc4
                case "AESV2", "AESV3": return .aes
                case nil: return .none
                case "None": throw .unsupported("a crypt filter left to another security handler")
                case let other?: throw .unsupported("the \(other) crypt filter method")
                }
            }
            streamCipher = try cipher(dictionary["StmF"]?.name)
            stringCipher = try cipher(dictionary["StrF"]?.name)
        default:
            throw .unsupported("encryption version \(version)")
        }
        if revision >= 5 {
            perObjectKeys = false
            key = try Self.aes256Key(revision: revision, user: user, userKey: dictionary["UE"]?.string)
            return
        }
        perObjectKeys = true
        guard revision >= 2, owner.count >= 32, user.count >= 32 else { throw .corrupt("the encryption dictionary is malformed") }
        // Version 4 keys are 128 bits unless the dictionary says otherwise; older ones 40.
        let length = revision == 2 ? 5 : max(5, min(16, (dictionary["Length"]?.integer ?? (version == 4 ? 128 : 40)) / 8))
        let permissions = UInt32(truncatingIfNeeded: dictionary["P"]?.integer ?? 0)
        // Algorithm 2: the file key from the (empty, padded) password.
        var material = Self.padding + owner.prefix(32)
        material += [UInt8(permissions & 0xFF), UInt8(permissions >> 8 & 0xFF), UInt8(permissions >> 16 & 0xFF), UInt8(permissions >> 24)]
        material += firstID
        if revision >= 4, !encryptsMetadata { material += [0xFF, 0xFF, 0xFF, 0xFF] }
        var fileKey = Array(Insecure.MD5.hash(data: material)).prefix(length).map { $0 }
        if revision >= 3 {
            for _ in 0..<50 { fileKey = Array(Array(Insecure.MD5.hash(data: fileKey)).prefix(length)) }
        }
        // Algorithms 4 and 5: the key must reproduce /U.
        let matches: Bool
        if revision == 2 {
            matches = RC4.apply(key: fileKey, to: Self.padding) == Array(user.prefix(32))
        } else {
            var check = RC4.apply(key: fileKey, to: Array(Insecure.MD5.hash(data: Self.padding + firstID)))
            for round in 1...19 { check = RC4.apply(key: fileKey.map { $0 ^ UInt8(round) }, to: check) }
            matches = check == Array(user.prefix(16))
        }
        guard matches else { throw .encrypted }
        key = fileKey
    }

    /// Revisions 5 and 6: the empty password checked against /U's validation salt, and the
    /// file key unwrapped from /UE with the key-salt hash.
    private static func aes256Key(revision: Int, user: [UInt8], userKey: [UInt8]?) throws(PDFError) -> [UInt8] {
        guard user.count >= 48, let userKey, userKey.count >= 32 else { throw .corrupt("the AES-256 encryption dictionary is malformed") }
        let validationSalt = Array(user[32..<40]), keySalt = Array(user[40..<48])
        guard hash(revision: revision, password: [], salt: validationSalt) == Array(user[0..<32]) else { throw .encrypted }
        let intermediate = hash(revision: revision, password: [], salt: keySalt)
        guard let unwrapped = try? AES._CBC.decrypt(userKey.prefix(32), using: SymmetricKey(data: intermediate), iv: AES._CBC.IV(ivBytes: [UInt8](repeating: 0, count: 16)), noPadding: true) else {
            throw .corrupt("the AES-256 file key does not unwrap")
        }
        return Array(unwrapped)
    }

    /// Algorithm 2.B (revision 6), or plain SHA-256 (revision 5).
    static func hash(revision: Int, password: [UInt8], salt: [UInt8]) -> [UInt8] {
        var digest = Array(SHA256.hash(data: password + salt))
        guard revision >= 6 else { return digest }
        var round = 0
        while true {
            let block = password + digest
            var repeated: [UInt8] = []
            repeated.reserveCapacity(block.count * 64)
            for _ in 0..<64 { repeated += block }
            guard let encrypted = try? AES._CBC.encrypt(repeated, using: SymmetricKey(data: digest[0..<16]), iv: AES._CBC.IV(ivBytes: Array(digest[16..<32])), noPadding: true) else {
                return []
            }
            let bytes = Array(encrypted)
            let selector = bytes.prefix(16).reduce(0) { ($0 + Int($1)) % 3 }
            switch selector {
            case 0: digest = Array(SHA256.hash(data: bytes))
            case 1: digest = Array(SHA384.hash(data: bytes))
            default: digest = Array(SHA512.hash(data: bytes))
            }
            round += 1
            if round >= 64, Int(bytes[bytes.count - 1]) <= round - 32 { break }
        }
        return Array(digest.prefix(32))
    }

    // MARK: Decryption

    /// The key of one object (Algorithm 1).
    private func objectKey(_ reference: PDFReference, aes: Bool) -> [UInt8] {
        guard perObjectKeys else { return key }
        var material = key
        material += [UInt8(reference.number & 0xFF), UInt8(reference.number >> 8 & 0xFF), UInt8(reference.number >> 16 & 0xFF)]
        material += [UInt8(reference.generation & 0xFF), UInt8(reference.generation >> 8 & 0xFF)]
        if aes { material += Array("sAlT".utf8) }
        return Array(Array(Insecure.MD5.hash(data: material)).prefix(min(key.count + 5, 16)))
    }

    func decryptStream(_ data: [UInt8], of reference: PDFReference) throws(PDFError) -> [UInt8] {
        try decrypt(data, of: reference, cipher: streamCipher)
    }

    func decryptString(_ data: [UInt8], of reference: PDFReference) throws(PDFError) -> [UInt8] {
        try decrypt(data, of: reference, cipher: stringCipher)
    }

    private func decrypt(_ data: [UInt8], of reference: PDFReference, cipher: Cipher) throws(PDFError) -> [UInt8] {
        switch cipher {
        case .none:
            return data
        case .rc4:
            return RC4.apply(key: objectKey(reference, aes: false), to: data)
        case .aes:
            if data.isEmpty { return data }
            // The first block is the IV; the rest is whole blocks with PKCS#7 padding.
            guard data.count >= 32, data.count % 16 == 0 else { throw .corrupt("an AES-encrypted string or stream is not whole blocks") }
            let iv = Array(data[0..<16])
            guard let plain = try? AES._CBC.decrypt(data[16...], using: SymmetricKey(data: objectKey(reference, aes: true)), iv: AES._CBC.IV(ivBytes: iv), noPadding: true) else {
                throw .corrupt("an AES-encrypted string or stream does not decrypt")
            }
            var bytes = Array(plain)
            if let pad = bytes.last, pad >= 1, pad <= 16, bytes.count >= Int(pad) { bytes.removeLast(Int(pad)) }
            return bytes
        }
    }
}

/// RC4, as PDF's standard security handler (revisions 2–4) uses it. No maintained Swift
/// library offers it (it is broken as a cipher, kept only to read old files); 20 lines.
enum RC4 {
    static func apply(key: [UInt8], to data: [UInt8]) -> [UInt8] {
        guard !key.isEmpty else { return data }
        var state = [UInt8](0...255)
        var j = 0
        for i in 0..<256 {
            j = (j + Int(state[i]) + Int(key[i % key.count])) & 0xFF
            state.swapAt(i, j)
        }
        var output = data
        var i = 0
        j = 0
        for index in output.indices {
            i = (i + 1) & 0xFF
            j = (j + Int(state[i])) & 0xFF
            state.swapAt(i, j)
            output[index] ^= state[(Int(state[i]) + Int(state[j])) & 0xFF]
        }
        return output
    }
}
