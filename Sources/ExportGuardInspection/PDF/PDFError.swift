/// Why a PDF, or a part of one, could not be read.
enum PDFError: Error, Equatable {
    case corrupt(String)
    /// A user password is needed (or the security handler is not the standard one).
    case encrypted
    case unsupported(String)
    case limitExceeded(String)
    /// The bytes at hand ended inside an object: read more of the file and try again.
    case needMoreBytes
}

extension PDFError {
    /// Damage to the file's structure (as opposed to a limit or encryption).
    var isDamage: Bool {
        switch self {
        case .corrupt, .needMoreBytes: true
        default: false
        }
    }

    var reason: UninspectedReason {
        switch self {
        case .corrupt(let detail): .corrupt("PDF: \(detail)")
        case .encrypted: .encrypted
        case .unsupported(let detail): .unsupported("PDF: \(detail)")
        case .limitExceeded(let detail): .limitExceeded("PDF: \(detail)")
        case .needMoreBytes: .corrupt("PDF: an object runs past the end of the file")
        }
    }
}
