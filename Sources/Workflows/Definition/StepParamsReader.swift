/// Reads a step's `params` object field by field, collecting a `DefinitionError` for each field
/// that is missing, of the wrong type or out of range, so one pass reports every problem.
struct StepParamsReader {
    let params: JSONValue
    let stepID: String
    private(set) var errors: [DefinitionError] = []

    init(params: JSONValue, stepID: String, allowedKeys: Set<String>) {
        self.params = params
        self.stepID = stepID
        guard let members = params.objectValue else {
            report("params", "expected an object, found \(params.typeName)")
            return
        }
        for key in members.keys.sorted() where !allowedKeys.contains(key) {
            report("params.\(key)", "unknown parameter")
        }
    }

    mutating func report(_ field: String, _ message: String) {
        errors.append(DefinitionError(stepID: stepID, field: field, message: message))
    }

    func value(_ key: String) -> JSONValue? {
        guard let value = params[key], value != .null else {
            return nil
        }
        return value
    }

    mutating func string(_ key: String, required: Bool) -> String? {
        guard let value = value(key) else {
            if required && params.objectValue != nil {
                report("params.\(key)", "missing")
            }
            return nil
        }
        guard let string = value.stringValue else {
            report("params.\(key)", "expected a string, found \(value.typeName)")
            return nil
        }
        return string
    }

    /// Reads a string that ends up in a protocol line or header, where CR or LF would let the
    /// value start a new line of its own.
    mutating func singleLineString(_ key: String, required: Bool) -> String? {
        guard let string = string(key, required: required) else {
            return nil
        }
        guard !string.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
            report("params.\(key)", "must not contain CR or LF")
            return nil
        }
        return string
    }

    mutating func integer(_ key: String, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard let value = value(key) else {
            if required && params.objectValue != nil {
                report("params.\(key)", "missing")
            }
            return nil
        }
        guard let integer = value.intValue else {
            let found = value.doubleValue.map { "\($0)" } ?? value.typeName
            report("params.\(key)", "expected an integer, found \(found)")
            return nil
        }
        guard range.contains(integer) else {
            report("params.\(key)", "\(integer) is out of range \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return integer
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let value = value(key) else {
            return nil
        }
        guard let bool = value.boolValue else {
            report("params.\(key)", "expected a boolean, found \(value.typeName)")
            return nil
        }
        return bool
    }

    /// Reads one of `allowed`, reporting the allowed names when the value is not among them.
    mutating func choice(_ key: String, allowed: [String]) -> String? {
        guard let string = string(key, required: false) else {
            return nil
        }
        guard allowed.contains(string) else {
            report("params.\(key)", "unknown value \"\(string)\" (expected \(allowed.joined(separator: ", ")))")
            return nil
        }
        return string
    }
}
