import Foundation
import Store

extension WorkflowEngine {
    /// Creates one instance per matching published definition that has none for `parent` yet,
    /// and runs each new instance's synchronous steps.
    func fanOut(
        parent: WorkflowParent, event: WorkflowEvent, caID: Int64?, domainID: Int64?, deviceID: Int64?,
        payload makePayload: @autoclosure () throws -> JSONValue, session: any StoreSession, at time: Date
    ) throws {
        let existing = Set(try session.instances(parent: parent).map(\.definitionID))
        // Built once, and only when a definition matches, so a domain without workflows skips it.
        var payloadText: String?

        for definition in try session.publishedDefinitions() where !existing.contains(definition.id) {
            guard let document = decodeDocument(definition) else {
                continue
            }
            guard document.handles(protocol: event.protocol, operation: event.operation) else {
                continue
            }
            let scopes = try session.scopes(definitionID: definition.id)
            guard scopes.isEmpty || scopes.contains(where: { $0.matches(caID: caID, domainID: domainID, deviceID: deviceID) }) else {
                continue
            }

            if payloadText == nil {
                payloadText = try makePayload().jsonText
            }
            let record = try session.insertInstance(WorkflowInstanceRecord(
                definitionID: definition.id, parent: parent, currentStep: document.steps.first?.id,
                state: State.running.rawValue, payload: payloadText ?? "", createdAt: time, updatedAt: time))
            var instance = WorkflowInstance(record: record, definition: definition, document: document)
            try advance(&instance, session: session, at: time)
            try session.updateInstance(instance.record)
        }
    }

    /// Loads the instance with its definition; a definition that no longer decodes throws.
    func loadInstance(_ record: WorkflowInstanceRecord, session: any StoreSession) throws -> WorkflowInstance {
        guard let definition = try session.definition(id: record.definitionID) else {
            throw WorkflowError.invalidStoredDefinition(definitionID: record.definitionID, message: "definition not found")
        }
        do {
            let document = try decodedDefinitions.value(for: definition.definition)
            return WorkflowInstance(record: record, definition: definition, document: document)
        } catch {
            throw WorkflowError.invalidStoredDefinition(definitionID: definition.id, message: "\(error)")
        }
    }

    /// Decodes a published definition, logging and skipping one that does not decode: import
    /// validates definitions, so this only happens after a hand edit of the database.
    private func decodeDocument(_ definition: WorkflowDefinitionRecord) -> WorkflowDefinitionDocument? {
        do {
            return try decodedDefinitions.value(for: definition.definition)
        } catch {
            logger.error(
                "Skipping a published workflow definition that does not decode",
                metadata: ["workflow.id": String(definition.id), "workflow.name": definition.name, "error": "\(error)"])
            return nil
        }
    }
}
