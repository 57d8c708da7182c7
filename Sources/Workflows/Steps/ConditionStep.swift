import Foundation

/// The `Condition` step: a declarative policy over CSR and device facts.
///
/// params:
/// `{"rules": [{"field", "op", "value"}, ...], "match": "all"|"any", "on_match": outcome,
/// "on_mismatch": outcome, "reason": "..."}` where an outcome is approve, reject, pass or fail.
/// Defaults: `match` all, `on_match` pass, `on_mismatch` reject. The step context records each
/// rule's actual value and whether it matched.
public struct ConditionStep: ConfiguredStep {
    public let stepType = "Condition"
    public let runsInBackground = false

    static let outcomes = ["approve", "reject", "pass", "fail"]

    struct Configuration {
        var rules: [ConditionRule]
        var regexes: [NSRegularExpression?]
        var matchAll: Bool
        var onMatch: String
        var onMismatch: String
        var reason: String?
    }

    public init() {}

    public func validate(params: JSONValue, stepID: String) -> [DefinitionError] {
        validateConfiguration(params: params, stepID: stepID)
    }

    public func execute(_ step: WorkflowStep, context: StepExecutionContext) -> StepOutcome {
        executeConfigured(step, context: context)
    }

    func execute(_ step: WorkflowStep, configuration: Configuration, context: StepExecutionContext) -> StepOutcome {
        var results: [JSONValue] = []
        var matchedRules: [String] = []
        var unmatchedRules: [String] = []
        for (index, rule) in configuration.rules.enumerated() {
            let actual = rule.fieldValue(in: context)
            let matched = rule.evaluate(actual, regex: configuration.regexes[index])
            let text = "\(rule.field) \(rule.op.rawValue) \(Self.literal(rule.value))"
            if matched {
                matchedRules.append(text)
            } else {
                unmatchedRules.append(text)
            }
            results.append([
                "index": .number(Double(index)), "field": .string(rule.field), "op": .string(rule.op.rawValue),
                "actual": actual ?? .null, "matched": .bool(matched),
            ])
        }

        let matched = configuration.matchAll ? unmatchedRules.isEmpty : !matchedRules.isEmpty
        let stepContext: JSONValue = [
            "match": .string(configuration.matchAll ? "all" : "any"), "matched": .bool(matched), "rules": .array(results),
        ]
        let outcome = matched ? configuration.onMatch : configuration.onMismatch
        let reason = configuration.reason
            ?? (matched
                ? "condition matched: \(matchedRules.joined(separator: ", "))"
                : "condition not matched: \(unmatchedRules.joined(separator: ", "))")

        switch outcome {
        case "approve": return .approve(reason: reason, context: stepContext)
        case "reject": return .reject(reason: reason, context: stepContext)
        case "fail": return .fail(reason: reason, context: stepContext)
        default: return .pass(context: stepContext)
        }
    }

    static func configuration(params: JSONValue, stepID: String) -> Result<Configuration, DefinitionErrors> {
        var reader = StepParamsReader(
            params: params, stepID: stepID, allowedKeys: ["rules", "match", "on_match", "on_mismatch", "reason"])
        let match = reader.choice("match", allowed: ["all", "any"]) ?? "all"
        let onMatch = reader.choice("on_match", allowed: outcomes) ?? "pass"
        let onMismatch = reader.choice("on_mismatch", allowed: outcomes) ?? "reject"
        let reason = reader.string("reason", required: false)

        var rules: [ConditionRule] = []
        var regexes: [NSRegularExpression?] = []
        if let rulesValue = reader.value("rules") {
            if let elements = rulesValue.arrayValue, !elements.isEmpty {
                for (index, element) in elements.enumerated() {
                    if let (rule, regex) = parseRule(element, field: "params.rules[\(index)]", reader: &reader) {
                        rules.append(rule)
                        regexes.append(regex)
                    }
                }
            } else {
                reader.report("params.rules", "expected a non-empty array of rules, found \(rulesValue.arrayValue == nil ? rulesValue.typeName : "an empty array")")
            }
        } else if params.objectValue != nil {
            reader.report("params.rules", "missing")
        }

        guard reader.errors.isEmpty else {
            return .failure(DefinitionErrors(reader.errors))
        }
        return .success(Configuration(
            rules: rules, regexes: regexes, matchAll: match == "all", onMatch: onMatch, onMismatch: onMismatch, reason: reason))
    }

    private static func parseRule(
        _ element: JSONValue, field path: String, reader: inout StepParamsReader
    ) -> (ConditionRule, NSRegularExpression?)? {
        guard let members = element.objectValue else {
            reader.report(path, "expected an object, found \(element.typeName)")
            return nil
        }
        let errorCount = reader.errors.count
        for key in members.keys.sorted() where !["field", "op", "value"].contains(key) {
            reader.report("\(path).\(key)", "unknown rule key")
        }

        let field = members["field"]?.stringValue
        if field == nil {
            reader.report("\(path).field", members["field"] == nil ? "missing" : "expected a string")
        } else if let field, !ConditionRule.isKnownField(field) {
            reader.report("\(path).field", "unknown field \"\(field)\"")
        }

        let opName = members["op"]?.stringValue
        let op = opName.flatMap(ConditionRule.Operator.init(rawValue:))
        if op == nil {
            let allowed = ConditionRule.Operator.allCases.map(\.rawValue).joined(separator: ", ")
            reader.report("\(path).op", opName.map { "unknown operator \"\($0)\" (expected \(allowed))" } ?? "missing")
        }

        let value = members["value"] ?? (op == .exists ? true : .null)
        var regex: NSRegularExpression?
        if let op {
            regex = checkValue(value, present: members["value"] != nil, op: op, path: "\(path).value", reader: &reader)
        }

        guard reader.errors.count == errorCount, let field, let op else {
            return nil
        }
        return (ConditionRule(field: field, op: op, value: value), regex)
    }

    /// Checks that `value` suits `op` and compiles it when `op` takes a pattern.
    private static func checkValue(
        _ value: JSONValue, present: Bool, op: ConditionRule.Operator, path: String, reader: inout StepParamsReader
    ) -> NSRegularExpression? {
        switch op {
        case .exists:
            if value.boolValue == nil {
                reader.report(path, "expected a boolean, found \(value.typeName)")
            }
        case .equal, .notEqual:
            if !present {
                reader.report(path, "missing")
            } else if value.arrayValue != nil || value.objectValue != nil {
                reader.report(path, "expected a string, number, boolean or null, found \(value.typeName)")
            }
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            if value.doubleValue == nil {
                reader.report(path, present ? "expected a number, found \(value.typeName)" : "missing")
            }
        case .in, .notIn:
            if value.arrayValue == nil {
                reader.report(path, present ? "expected an array, found \(value.typeName)" : "missing")
            }
        case .matches, .allMatch, .anyMatch:
            guard let pattern = value.stringValue else {
                reader.report(path, present ? "expected a regular expression string, found \(value.typeName)" : "missing")
                return nil
            }
            do {
                return try NSRegularExpression(pattern: pattern)
            } catch {
                reader.report(path, "invalid regular expression \"\(pattern)\"")
            }
        }
        return nil
    }

    /// Formats a rule value for a reason text.
    private static func literal(_ value: JSONValue) -> String {
        switch value {
        case .string(let string): "\"\(string)\""
        case .number(let number): number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .bool(let bool): String(bool)
        case .null: "null"
        case .array(let elements): "[" + elements.map(literal).joined(separator: ", ") + "]"
        case .object: "{...}"
        }
    }
}
