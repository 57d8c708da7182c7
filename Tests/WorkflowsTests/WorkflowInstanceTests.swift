import Foundation
import Store
import Testing
import Workflows

@Suite("Workflow instance steps")
struct WorkflowInstanceTests {
    static let document = WorkflowDefinitionDocument(
        events: [WorkflowEvent(protocol: "est", operation: "simpleenroll")],
        steps: [
            WorkflowStep(id: "first-approval", type: "Approval"),
            WorkflowStep(id: "check", type: "Condition"),
            WorkflowStep(id: "final-approval", type: "Approval"),
            WorkflowStep(id: "notify", type: "Email"),
        ])

    func instance(at step: String?) -> WorkflowInstance {
        WorkflowInstance(
            record: WorkflowInstanceRecord(
                id: 7, definitionID: 1, parent: .enrollmentRequest("r"), currentStep: step, state: "Running"),
            definition: WorkflowDefinitionRecord(id: 1, name: "w", definition: "{}"),
            document: Self.document)
    }

    @Test("steps in definition order")
    func stepsInOrder() {
        #expect(instance(at: "check").steps.map(\.id) == ["first-approval", "check", "final-approval", "notify"])
    }

    @Test("current step index")
    func currentStepIndex() throws {
        #expect(try instance(at: "first-approval").currentStepIndex() == 0)
        #expect(try instance(at: "notify").currentStepIndex() == 3)
    }

    @Test("unknown current step throws")
    func unknownStepThrows() {
        let error = #expect(throws: WorkflowError.self) { try instance(at: "gone").currentStepIndex() }

        #expect(error == .unknownStep(instanceID: 7, stepID: "gone"))
        #expect(error?.description == "workflow instance 7 is at step \"gone\", which its definition does not contain")
    }

    @Test("next step nil at end")
    func nextStep() throws {
        #expect(try instance(at: "first-approval").nextStepID() == "check")
        #expect(try instance(at: "notify").nextStepID() == nil)
    }

    @Test("last approval step")
    func lastApprovalStep() throws {
        #expect(try instance(at: "first-approval").isLastApprovalStep() == false)
        #expect(try instance(at: "final-approval").isLastApprovalStep() == true)
        #expect(try instance(at: "notify").isLastApprovalStep() == false)
    }
}
