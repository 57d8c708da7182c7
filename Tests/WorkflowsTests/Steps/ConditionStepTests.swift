import Foundation
import Testing
import Workflows

@Suite("Condition step")
struct ConditionStepTests {
    static let payload: JSONValue = [
        "commonName": "dev-42",
        "keyAlgorithm": "ecdsa",
        "keyBits": 256,
        "curve": "P-256",
        "subjectAlternativeNames": ["DNS:dev-42.example.com", "DNS:alt.example.com"],
        "deviceAttributes": ["site": "berlin", "line": 3],
        "deviceSerialNumber": nil,
    ]

    func context(payload: JSONValue = Self.payload, variables: JSONValue = [:]) -> StepExecutionContext {
        let created = Date(timeIntervalSince1970: 1_800_000_000)
        return StepExecutionContext(
            instanceID: "instance-1", requestID: "request-1", payload: payload, variables: variables,
            instanceCreatedAt: created, now: created)
    }

    /// Runs one rule with `on_match` approve and `on_mismatch` reject, returning whether it matched.
    func matches(_ rule: JSONValue, payload: JSONValue = Self.payload, variables: JSONValue = [:]) -> Bool? {
        let step = WorkflowStep(
            id: "policy", type: "Condition",
            params: ["rules": [rule], "on_match": "approve", "on_mismatch": "reject"])
        switch ConditionStep().execute(step, context: context(payload: payload, variables: variables)) {
        case .approve: return true
        case .reject: return false
        default: return nil
        }
    }

    static let cases: [(JSONValue, Bool)] = [
        (["field": "keyBits", "op": ">=", "value": 256], true),
        (["field": "keyBits", "op": ">=", "value": 2048], false),
        (["field": "keyBits", "op": ">", "value": 255], true),
        (["field": "keyBits", "op": "<", "value": 256], false),
        (["field": "keyBits", "op": "<=", "value": 256], true),
        (["field": "keyBits", "op": "==", "value": 256], true),
        (["field": "keyAlgorithm", "op": "!=", "value": "rsa"], true),
        (["field": "keyAlgorithm", "op": "in", "value": ["ecdsa", "ed25519"]], true),
        (["field": "keyAlgorithm", "op": "not_in", "value": ["ecdsa", "ed25519"]], false),
        (["field": "commonName", "op": "matches", "value": "^dev-[0-9]+$"], true),
        (["field": "commonName", "op": "matches", "value": "^srv-"], false),
        (["field": "subjectAlternativeNames", "op": "all_match", "value": #"^DNS:.*\.example\.com$"#], true),
        (["field": "subjectAlternativeNames", "op": "all_match", "value": "^DNS:dev-"], false),
        (["field": "subjectAlternativeNames", "op": "any_match", "value": "^DNS:dev-"], true),
        (["field": "subjectAlternativeNames", "op": "any_match", "value": "^IP:"], false),
        (["field": "subjectAlternativeNames", "op": "in", "value": ["DNS:dev-42.example.com", "DNS:alt.example.com"]], true),
        (["field": "subjectAlternativeNames", "op": "in", "value": ["DNS:dev-42.example.com"]], false),
        (["field": "deviceAttributes.site", "op": "==", "value": "berlin"], true),
        (["field": "deviceAttributes.site", "op": "==", "value": "paris"], false),
        (["field": "deviceAttributes.line", "op": ">", "value": 2], true),
        (["field": "deviceAttributes.site", "op": "exists"], true),
        (["field": "deviceAttributes.room", "op": "exists"], false),
        (["field": "deviceAttributes.room", "op": "exists", "value": false], true),
        (["field": "deviceSerialNumber", "op": "exists"], false),
        (["field": "deviceName", "op": "!=", "value": "x"], false),
        (["field": "deviceName", "op": "not_in", "value": ["x"]], false),
        (["field": "commonName", "op": ">=", "value": 1], false),
    ]

    @Test("operator table", arguments: cases.indices)
    func operatorTable(index: Int) {
        let (rule, expected) = Self.cases[index]

        #expect(matches(rule) == expected, "rule \(rule)")
    }

    @Test("vars field reads $vars")
    func varsField() {
        let rule: JSONValue = ["field": "vars.inventory.approved", "op": "==", "value": true]

        #expect(matches(rule, variables: ["inventory": ["approved": true]]) == true)
        #expect(matches(rule, variables: [:]) == false)
    }

    @Test("empty SAN list never matches")
    func emptySANList() {
        var payload = Self.payload
        if case .object(var members) = payload {
            members["subjectAlternativeNames"] = []
            payload = .object(members)
        }

        #expect(matches(["field": "subjectAlternativeNames", "op": "all_match", "value": ".*"], payload: payload) == false)
        #expect(matches(["field": "subjectAlternativeNames", "op": "in", "value": ["DNS:x"]], payload: payload) == false)
    }

    @Test("match any versus all")
    func matchAnyVersusAll() {
        let rules: JSONValue = [
            ["field": "keyBits", "op": ">=", "value": 2048],
            ["field": "keyAlgorithm", "op": "==", "value": "ecdsa"],
        ]
        let all = WorkflowStep(id: "policy", type: "Condition", params: ["rules": rules, "match": "all", "on_match": "approve"])
        let any = WorkflowStep(id: "policy", type: "Condition", params: ["rules": rules, "match": "any", "on_match": "approve"])

        #expect(ConditionStep().execute(all, context: context()) == .reject(
            reason: "condition not matched: keyBits >= 2048",
            context: [
                "match": "all", "matched": false,
                "rules": [
                    ["index": 0, "field": "keyBits", "op": ">=", "actual": 256, "matched": false],
                    ["index": 1, "field": "keyAlgorithm", "op": "==", "actual": "ecdsa", "matched": true],
                ],
            ]))
        guard case .approve(let reason, let stepContext) = ConditionStep().execute(any, context: context()) else {
            Issue.record("expected approve")
            return
        }
        #expect(reason == #"condition matched: keyAlgorithm == "ecdsa""#)
        #expect(stepContext["matched"] == true)
    }

    @Test("defaults pass and configured reason")
    func defaultsAndReason() {
        let rule: JSONValue = ["field": "keyBits", "op": ">=", "value": 2048]
        let passing = WorkflowStep(id: "policy", type: "Condition", params: ["rules": [["field": "keyBits", "op": ">", "value": 1]]])
        let failing = WorkflowStep(
            id: "policy", type: "Condition", params: ["rules": [rule], "on_mismatch": "fail", "reason": "weak key"])

        #expect(ConditionStep().execute(passing, context: context()).transitionName == .pass)
        guard case .fail(let reason, _) = ConditionStep().execute(failing, context: context()) else {
            Issue.record("expected fail")
            return
        }
        #expect(reason == "weak key")
    }

    @Test("rule validation errors")
    func ruleValidationErrors() {
        let params: JSONValue = [
            "rules": [
                ["field": "commonName", "op": "matches", "value": "[a-"],
                ["field": "keyBits", "op": "in", "value": 2048],
                ["op": "==", "value": 1, "note": "x"],
                "keyBits >= 2048",
                ["field": "keyBits", "op": "=="],
            ],
            "match": "most",
        ]

        #expect(ConditionStep().validate(params: params, stepID: "policy").map(\.description) == [
            #"step "policy": params.match: unknown value "most" (expected all, any)"#,
            #"step "policy": params.rules[0].value: invalid regular expression "[a-""#,
            #"step "policy": params.rules[1].value: expected an array, found number"#,
            #"step "policy": params.rules[2].note: unknown rule key"#,
            #"step "policy": params.rules[2].field: missing"#,
            #"step "policy": params.rules[3]: expected an object, found string"#,
            #"step "policy": params.rules[4].value: missing"#,
        ])
        #expect(ConditionStep().validate(params: ["rules": []], stepID: "policy").map(\.description) == [
            #"step "policy": params.rules: expected a non-empty array of rules, found an empty array"#
        ])
        #expect(ConditionStep().validate(params: [:], stepID: "policy").map(\.description) == [
            #"step "policy": params.rules: missing"#
        ])
    }
}
