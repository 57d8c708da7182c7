import Foundation
import Store

extension WorkflowEngine {
    /// Records a device lifecycle event as a device request, fans it out to the published
    /// definitions whose events include `device`/`action` and whose scopes match, and runs their
    /// synchronous steps.
    public func raiseDeviceEvent(
        deviceID: Int64, domainID: Int64?, caID: Int64?, action: DeviceAction, payload: JSONValue, actor: String? = nil
    ) throws -> DeviceRequestStatus {
        try store.transaction { session in
            let time = now()
            let request = DeviceRequestRecord(
                deviceID: deviceID, domainID: domainID, caID: caID, action: action, payload: payload.jsonText,
                aggregatedState: State.running.rawValue, createdAt: time, updatedAt: time)
            try session.insertDeviceRequest(request)
            _ = try session.appendAuditEvent(AuditEventRecord(
                time: time, event: "device.\(action.rawValue)", requestID: request.id, deviceID: deviceID,
                domainID: domainID, actor: actor, newState: State.running.rawValue, details: payload.jsonText))

            let instancePayload = payload.merging([
                "requestID": .string(request.id), "action": .string(action.rawValue),
                "deviceID": .number(Double(deviceID)),
                "domainID": domainID.map { .number(Double($0)) } ?? .null,
                "caID": caID.map { .number(Double($0)) } ?? .null,
            ])
            try fanOut(
                parent: .deviceRequest(request.id), event: WorkflowEvent(protocol: "device", operation: action.rawValue),
                caID: caID, domainID: domainID, deviceID: deviceID, payload: instancePayload, session: session, at: time)
            let recomputed = try recomputeDeviceRequest(request.id, session: session, at: time)
            return DeviceRequestStatus(
                requestID: recomputed.id, state: State(rawValue: recomputed.aggregatedState) ?? .failed,
                finalized: recomputed.finalized)
        }
    }
}
