import Foundation
import TestSupport
import Testing
import Workflows

@Suite("Definition validation")
struct DefinitionValidatorTests {
    let executors = BuiltInSteps.executors()

    func errors(decoding fixture: String) throws -> [String] {
        let data = try StepsFixtures.workflowDefinition(named: fixture)
        do {
            _ = try WorkflowDefinitionDocument.decodeValidated(from: data, executors: executors)
            return []
        } catch let error as DefinitionErrors {
            return error.errors.map(\.description)
        }
    }

    @Test("demo approval definition decodes")
    func demoApprovalDecodes() throws {
        let data = try StepsFixtures.workflowDefinition(named: "demo-manual-approval.json")
        let document = try WorkflowDefinitionDocument.decodeValidated(from: data, executors: executors)

        #expect(document.events == [
            WorkflowEvent(protocol: "est", operation: "simpleenroll"),
            WorkflowEvent(protocol: "est", operation: "simplereenroll"),
        ])
        #expect(document.steps == [WorkflowStep(id: "approve", type: "Approval", params: [:])])
        #expect(document.handles(protocol: "est", operation: "simplereenroll"))
        #expect(!document.handles(protocol: "est", operation: "serverkeygen"))
    }

    @Test("full definition decodes")
    func fullDefinitionDecodes() throws {
        let data = try StepsFixtures.workflowDefinition(named: "policy-notify-approve.json")
        let document = try WorkflowDefinitionDocument.decodeValidated(from: data, executors: executors)

        #expect(document.steps.map(\.type) == ["Condition", "Webhook", "Email", "Approval", "Timeout"])
        #expect(document.step(id: "key-policy")?.target(for: .reject) == WorkflowStep.end)
        #expect(document.step(id: "key-policy")?.target(for: .pass) == nil)
        #expect(ApprovalStep.requiredApprovals(params: document.step(id: "approve")?.params ?? [:]) == 2)
    }

    @Test("document round-trips through JSON")
    func documentRoundTrips() throws {
        let data = try StepsFixtures.workflowDefinition(named: "policy-notify-approve.json")
        let document = try JSONDecoder().decode(WorkflowDefinitionDocument.self, from: data)
        let encoded = try JSONEncoder().encode(document)

        #expect(try JSONDecoder().decode(WorkflowDefinitionDocument.self, from: encoded) == document)
    }

    @Test("structure errors name each step")
    func structureErrors() throws {
        #expect(try errors(decoding: "invalid-structure.json") == [
            #"events[0]: unknown event "est/fullcmc""#,
            #"step "check": transitions.maybe: unknown outcome "maybe" (expected pass, approve, reject, fail)"#,
            #"step "check": transitions.pass: unknown step "missing-step""#,
            #"step "check": id: duplicate step id"#,
            #"step "check": params.required_approvals: 0 is out of range 1...1000"#,
            #"steps[2].id: must not be empty"#,
            #"step "end": id: "end" is reserved for the end of the workflow"#,
            #"step "end": type: unknown step type "Script" (expected Approval, Condition, Email, Timeout, Webhook)"#,
            #"step "loop": transitions.approve: a step cannot transition to itself"#,
        ])
    }

    @Test("params errors name step and field")
    func paramsErrors() throws {
        #expect(try errors(decoding: "invalid-params.json") == [
            #"step "policy": params.on_match: unknown value "maybe" (expected approve, reject, pass, fail)"#,
            #"step "policy": params.rules[0].value: invalid regular expression "^(dev""#,
            #"step "policy": params.rules[1].field: unknown field "keyColor""#,
            #"step "policy": params.rules[2].op: unknown operator "between" (expected ==, !=, <, <=, >, >=, in, not_in, matches, all_match, any_match, exists)"#,
            #"step "policy": params.rules[3].value: expected a number, found string"#,
            #"step "hook": params.url: invalid URL "ftp://example.com/x" (expected an http or https URL with a host)"#,
            #"step "hook": params.timeout_seconds: 90 is out of range 1...60"#,
            #"step "hook": params.basic: cannot be combined with bearer_token"#,
            #"step "notify": params.to: invalid email address "bob@""#,
            #"step "notify": params.subject: must not contain CR or LF"#,
            #"step "notify": params.body: unknown placeholder "{{secret}}""#,
            #"step "notify": params.username: AUTH PLAIN is only sent after STARTTLS, so starttls must be true"#,
            #"step "expire": params.extra: unknown parameter"#,
            #"step "expire": params.after_seconds: 0 is out of range 1...2592000"#,
            #"step "expire": params.outcome: unknown value "fail" (expected reject, abort)"#,
        ])
    }

    @Test("missing type names the field")
    func missingType() throws {
        #expect(try errors(decoding: "invalid-missing-type.json") == ["steps[0].type: missing"])
    }

    @Test("malformed JSON gives position")
    func malformedJSON() throws {
        let data = try StepsFixtures.workflowDefinition(named: "invalid-malformed.json")
        let text = String(decoding: data, as: UTF8.self)
        let secondComma = try #require(text.range(of: ",,")).lowerBound.utf16Offset(in: text) + 1

        #expect(try errors(decoding: "invalid-malformed.json") == [
            "document: invalid JSON: Invalid value around character \(secondComma) (line 1, column \(secondComma + 1))"
        ])
    }

    @Test("empty events and steps")
    func emptyEventsAndSteps() throws {
        #expect(try errors(decoding: "invalid-empty-steps.json") == [
            "events: must list at least one event",
            "steps: must contain at least one step",
        ])
    }

    @Test("params must be an object")
    func paramsMustBeObject() {
        let document = WorkflowDefinitionDocument(
            events: [WorkflowEvent(protocol: "device", operation: "created")],
            steps: [
                WorkflowStep(id: "wait", type: "Timeout", params: [1, 2]),
                WorkflowStep(id: "approve", type: "Approval", params: "yes"),
            ])

        #expect(DefinitionValidator.validate(document, executors: executors).map(\.description) == [
            #"step "wait": params: expected an object, found array"#,
            #"step "approve": params: expected an object, found string"#,
        ])
    }

    @Test("every known event is accepted")
    func knownEvents() {
        let document = WorkflowDefinitionDocument(
            events: WorkflowEvent.known, steps: [WorkflowStep(id: "approve", type: "Approval")])

        #expect(DefinitionValidator.validate(document, executors: executors).isEmpty)
    }
}
