import ArgumentParser
import ExportGuardCore

/// Exit statuses: verdicts first, then sysexits(3) codes for errors.
enum ExitStatus {
    static let review: Int32 = 1
    static let block: Int32 = 2
    static let usage: Int32 = 64
    static let dataError: Int32 = 65
    static let noInput: Int32 = 66
    static let software: Int32 = 70
    static let ioError: Int32 = 74

    static func forVerdict(_ verdict: Verdict) -> Int32 {
        switch verdict {
        case .allow: 0
        case .review: review
        case .block: block
        }
    }
}
