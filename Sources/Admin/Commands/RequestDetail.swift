import ArgumentParsing
import Foundation
import PKI
import Store

/// The output of `requests show` for one kind of request, as text or JSON.
protocol ShownRequest {
    var json: JSONOutput { get }
    func text(usesColor: Bool) -> String
}

/// `estgate requests show`: everything stored about one enrollment request, or about a device
/// request (`DeviceRequestDetail`).
struct RequestDetail: ShownRequest {
    struct Instance {
        let record: WorkflowInstanceRecord
        let definition: String
        let steps: [WorkflowStepRunRecord]
    }

    let row: RequestRow
    /// The CSR's subject, SANs, key and fingerprint, or why it could not be parsed.
    let csr: Result<CSRSummary, any Error>
    let instances: [Instance]
    let certificate: IssuedCertificateRecord?

    static func show(_ parsed: ParsedCommand, context: AdminContext) throws {
        let reference = parsed.argument("id") ?? ""
        let detail: any ShownRequest = try context.store.read { session in
            let names = try NameCache(session: session)
            switch try StoreLookup(session: session).request(idPrefix: reference) {
            case .device(let request):
                return try DeviceRequestDetail(request, names: names, session: session)
            case .enrollment(let request):
                return RequestDetail(
                    row: try RequestRow(request, names: names),
                    csr: Result { try CSRSummary(der: request.csrDER) },
                    instances: try instances(of: .enrollmentRequest(request.id), session: session),
                    certificate: try session.issuedCertificate(requestID: request.id))
            }
        }

        if parsed.flag("json") {
            context.printJSON(detail.json)
        } else {
            context.output.write(detail.text(usesColor: context.output.usesColor))
        }
    }

    /// Loads the workflow instances of `parent` with their definitions' names and step runs.
    static func instances(of parent: WorkflowParent, session: any StoreSession) throws -> [Instance] {
        try session.instances(parent: parent).map { instance in
            let definition = try session.definition(id: instance.definitionID)
            return Instance(
                record: instance,
                definition: definition.map { "\($0.name) v\($0.version)" } ?? "#\(instance.definitionID)",
                steps: try session.stepRuns(instanceID: instance.id))
        }
    }

    func text(usesColor: Bool) -> String {
        let request = row.request
        var lines = [
            "Request      \(request.id)",
            "State        \(request.aggregatedState)\(request.finalized ? " (finalized)" : " (open)")",
            "Reason       \(request.reason ?? "-")",
            "Protocol     \(request.protocolName)",
            "Operation    \(request.operation)",
            "CA           \(row.ca)",
            "Domain       \(row.domain)",
            "Device       \(row.device ?? "-")",
            "Template     \(request.template)",
            "Fingerprint  \(request.fingerprint)",
            "Created      \(TimeText.iso8601(request.createdAt))",
            "Updated      \(TimeText.iso8601(request.updatedAt))",
            "",
            "CSR",
        ]
        switch csr {
        case .success(let summary):
            lines += [
                "  Subject      \(summary.subject)",
                "  SANs         \(summary.subjectAlternativeNames.isEmpty ? "-" : summary.subjectAlternativeNames.joined(separator: ", "))",
                "  Key          \(summary.key)",
                "  Fingerprint  \(summary.fingerprint)",
            ]
        case .failure(let error):
            lines.append("  cannot be parsed: \(error)")
        }

        var output = lines.joined(separator: "\n") + "\n\n"
        output += Self.instancesText(
            instances, whenEmpty: "none: no published workflow applies, so the request passed", usesColor: usesColor)

        output += "\nCertificate\n"
        if let certificate {
            output += "  Serial       \(certificate.serialNumber)\n"
            output += "  Subject      \(certificate.subject)\n"
            output += "  Not before   \(TimeText.iso8601(certificate.notBefore))\n"
            output += "  Not after    \(TimeText.iso8601(certificate.notAfter))\n"
        } else {
            output += "  none issued\n"
        }
        return output
    }

    /// Renders the workflow instances and their step runs as two indented tables, with
    /// `whenEmpty` in place of the first when there are none.
    static func instancesText(_ instances: [Instance], whenEmpty: String, usesColor: Bool) -> String {
        var output = "Workflow instances\n"
        if instances.isEmpty {
            output += "  \(whenEmpty)\n"
        } else {
            var table = TextTable(["ID", "WORKFLOW", "STATE", "CURRENT STEP", "FINALIZED"])
            for instance in instances {
                table.append([
                    .init(String(instance.record.id)), .init(instance.definition), StateText.cell(instance.record.state),
                    .init(instance.record.currentStep ?? "-"), .init(instance.record.finalized ? "yes" : "no"),
                ])
            }
            output += table.render(usesColor: usesColor, indent: 2)
        }

        output += "\nStep runs\n"
        let runs = instances.flatMap(\.steps)
        if runs.isEmpty {
            output += "  none\n"
        } else {
            var table = TextTable(["INSTANCE", "RUN", "STEP", "TYPE", "STATE", "ACTOR", "COMMENT", "TIME"])
            for run in runs {
                table.append([
                    .init(String(run.instanceID)), .init(String(run.runIndex)), .init(run.stepID), .init(run.stepType),
                    StateText.cell(run.state), .init(run.actor ?? "-"), .init(run.comment ?? "-"),
                    .init(TimeText.iso8601(run.createdAt)),
                ])
            }
            output += table.render(usesColor: usesColor, indent: 2)
        }
        return output
    }

    var json: JSONOutput {
        var members = row.jsonMembers
        members.insert(("kind", .string("enrollment")), at: 1)
        switch csr {
        case .success(let summary):
            members.append(("csr", summary.json))
        case .failure(let error):
            members.append(("csr", .object([("error", .string("\(error)"))])))
        }
        members.append(("instances", Self.json(instances: instances)))
        members.append(("certificate", certificate.map { .object(CertificateRow.summaryMembers($0)) } ?? .null))
        return .object(members)
    }

    static func json(instances: [Instance]) -> JSONOutput {
        .array(instances.map { instance in
            .object([
                ("id", .integer(instance.record.id)),
                ("workflow", .string(instance.definition)),
                ("definition_id", .integer(instance.record.definitionID)),
                ("state", .string(instance.record.state)),
                ("current_step", .string(instance.record.currentStep)),
                ("finalized", .bool(instance.record.finalized)),
                ("created_at", .time(instance.record.createdAt)),
                ("updated_at", .time(instance.record.updatedAt)),
                ("step_runs", .array(instance.steps.map(Self.json(stepRun:)))),
            ])
        })
    }

    static func json(stepRun run: WorkflowStepRunRecord) -> JSONOutput {
        .object([
            ("run", .integer(run.runIndex)),
            ("step", .string(run.stepID)),
            ("type", .string(run.stepType)),
            ("state", .string(run.state)),
            ("actor", .string(run.actor)),
            ("comment", .string(run.comment)),
            ("time", .time(run.createdAt)),
        ])
    }
}

/// What an administrator checks in a CSR before deciding.
struct CSRSummary {
    let subject: String
    let subjectAlternativeNames: [String]
    /// Algorithm and size, such as "ecdsa p256" or "rsa 2048".
    let key: String
    let fingerprint: String

    init(der: [UInt8]) throws {
        let request = try CertificateSigningRequest(derEncoded: der)
        subject = request.subject.description
        subjectAlternativeNames = request.subjectAlternativeNames.map(\.description)
        key = try request.publicKey.algorithm.description
        fingerprint = request.fingerprint
    }

    var json: JSONOutput {
        .object([
            ("subject", .string(subject)),
            ("subject_alternative_names", .array(subjectAlternativeNames.map { .string($0) })),
            ("key", .string(key)),
            ("fingerprint", .string(fingerprint)),
        ])
    }
}
