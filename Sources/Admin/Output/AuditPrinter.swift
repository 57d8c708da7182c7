import Foundation
import Store
import Workflows

/// Writes audit events one line each, so lines can be printed as they arrive: fixed-width
/// columns for people, or JSON Lines.
struct AuditPrinter {
    let json: Bool
    let context: AdminContext

    /// Looks up the device and domain names of `events` in one read, then writes them.
    func print(_ events: [AuditEventRecord]) throws {
        guard !events.isEmpty else {
            return
        }
        let lines = try context.store.read { session in
            let names = try NameCache(session: session)
            return try events.map { event in
                let device = try names.device(event.deviceID)
                return json ? jsonLine(event, device: device, names: names) : textLine(event, device: device)
            }
        }
        for line in lines {
            context.output.line(line)
        }
    }

    func jsonLine(_ event: AuditEventRecord, device: String?, names: NameCache) -> String {
        return JSONOutput.object([
            ("id", .integer(event.id)),
            ("time", .time(event.time)),
            ("event", .string(event.event)),
            ("request_id", .string(event.requestID)),
            ("device", .string(device)),
            ("domain", .string(names.domain(event.domainID))),
            ("actor", .string(event.actor)),
            ("comment", .string(event.comment)),
            ("previous_state", .string(event.previousState)),
            ("new_state", .string(event.newState)),
            ("details", JSONOutput(storedJSON: event.details)),
        ]).compact
    }

    func textLine(_ event: AuditEventRecord, device: String?) -> String {
        var transition = event.newState ?? "-"
        if let previous = event.previousState {
            transition = "\(previous) -> \(transition)"
        }
        var note = Self.detailNote(event.details, comment: event.comment)
        if let actor = event.actor {
            note += (note.isEmpty ? "" : ", ") + "by \(actor)"
        }
        if let comment = event.comment {
            note += ": \"\(comment)\""
        }

        let columns = [
            Self.padded(TimeText.iso8601(event.time), 20),
            Self.padded(event.event, 28),
            Self.padded(event.requestID.map { String($0.prefix(8)) } ?? "-", 8),
            Self.padded(device ?? "-", 12),
            Self.padded(transition, 36),
            note,
        ]
        return columns.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }

    /// Returns the step, serial number or reason in the event's details, when it has one. A
    /// rejection's reason is its comment, which the line shows already, so it is left out then.
    private static func detailNote(_ details: String, comment: String?) -> String {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(details.utf8)) else {
            return ""
        }
        var parts: [String] = []
        if let step = value["step_id"]?.stringValue {
            parts.append("step \(step)")
        }
        if let serial = value["serial_number"]?.stringValue {
            parts.append("serial \(serial)")
        }
        if let reason = value["reason"]?.stringValue, reason != comment {
            parts.append("reason \"\(reason)\"")
        }
        return parts.joined(separator: ", ")
    }

    private static func padded(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
