import Store

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
        return lines.joined(separator: "\n") + "\n\n"
            + RequestDetail.instancesText(instances, whenEmpty: "none: no published workflow applies to this event", usesColor: usesColor)
    }

    var json: JSONOutput {
        var members = DeviceListing.jsonMembers(deviceRequest: request)
        members.insert(("kind", .string("device")), at: 1)
        return .object(members + [
            ("device", .string(device)),
            ("domain", .string(domain)),
            ("ca", .string(ca)),
            ("payload", JSONOutput(storedJSON: request.payload)),
            ("instances", RequestDetail.json(instances: instances)),
        ])
    }
}
