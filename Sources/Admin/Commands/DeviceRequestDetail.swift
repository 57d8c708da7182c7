import Foundation
import Store
import Workflows

/// `estgate requests show` for a device request: the lifecycle event of a device (created,
/// onboarded or deleted) with the workflow instances it fanned out to.
struct DeviceRequestDetail: ShownRequest {
    let request: DeviceRequestRecord
    let device: String
    let domain: String?
    let ca: String?
    let instances: [RequestDetail.Instance]

    init(_ request: DeviceRequestRecord, names: NameCache, session: any StoreSession) throws {
        self.request = request
        device = try names.device(request.deviceID) ?? "#\(request.deviceID)"
        domain = names.domain(request.domainID)
        ca = names.ca(request.caID)
        instances = try RequestDetail.instances(of: .deviceRequest(request.id), session: session)
    }

    func text(usesColor: Bool) -> String {
        let lines = [
            "Request      \(request.id)",
            "Kind         device request for the \(request.action.rawValue) event",
            "State        \(request.aggregatedState)\(request.finalized ? " (finalized)" : " (open)")",
            "Device       \(device)",
            "Domain       \(domain ?? "-")",
            "CA           \(ca ?? "-")",
            "Created      \(TimeText.iso8601(request.createdAt))",
            "Updated      \(TimeText.iso8601(request.updatedAt))",
        ]
        return lines.joined(separator: "\n") + "\n\n" + RequestDetail.instancesText(instances, usesColor: usesColor)
    }

    var json: JSONOutput {
        let payload = (try? JSONDecoder().decode(JSONValue.self, from: Data(request.payload.utf8))).map(JSONOutput.init)
        return .object([
            ("id", .string(request.id)),
            ("kind", .string("device")),
            ("action", .string(request.action.rawValue)),
            ("state", .string(request.aggregatedState)),
            ("finalized", .bool(request.finalized)),
            ("device", .string(device)),
            ("domain", .string(domain)),
            ("ca", .string(ca)),
            ("payload", payload ?? .string(request.payload)),
            ("created_at", .time(request.createdAt)),
            ("updated_at", .time(request.updatedAt)),
            ("instances", RequestDetail.json(instances: instances)),
        ])
    }
}
