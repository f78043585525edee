import SwapLabKernel
import SwapLabModel

extension DoctorReport {
    /// `doctor --json` (`swaplab.doctor/1`, docs/json.md): the same keys as before `schema` was added.
    var json: JSONDocument {
        var kernel: OrderedJSON = .null
        if case .success(let r) = survey.release {
            kernel = .object([("ostype", .string(r.ostype)), ("release", .string(r.release))])
        }
        let checkObjects: [OrderedJSON] = checks.map { c in
            .object([
                ("name", .string(c.name)), ("status", .string(c.status.rawValue)), ("found", .string(c.found)),
                ("action", .string(c.action)),
            ])
        }
        let engines: OrderedJSON = .object([
            ("sim", .bool(true)), ("live_read", .bool(liveRead)), ("live_trace", .bool(liveTrace)),
            ("live_lab", .bool(liveLab)),
        ])
        let lessons: OrderedJSON = .object([
            ("simulator", .bool(true)), ("live_steps", .bool(liveLab)),
            ("reason", .nullable(labReason) { .string($0) }),
        ])
        return JSONDocument(
            .doctor,
            [
                ("swaplab_version", .string(SwapLabVersion.current)),
                ("kernel", kernel), ("root", .bool(survey.isRoot)), ("euid", .int(Int64(survey.effectiveUserID))),
                ("container", .nullable(survey.container) { .string($0) }), ("checks", .array(checkObjects)),
                ("engines", engines), ("lessons", lessons),
            ])
    }
}
