import Foundation

extension WorkflowDefinitionDocument {
    /// Decodes a definition from JSON and validates it.
    ///
    /// Throws `DefinitionErrors` holding either the one decoding problem (with the JSON path of
    /// the field, or the parser's position for malformed JSON) or every validation problem.
    public static func decodeValidated(from data: Data, executors: [any StepExecutor]) throws -> WorkflowDefinitionDocument {
        let document: WorkflowDefinitionDocument
        do {
            document = try JSONDecoder().decode(WorkflowDefinitionDocument.self, from: data)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                throw DefinitionErrors([syntaxError(in: data)])
            }
            throw DefinitionErrors([definitionError(from: error)])
        }

        let errors = DefinitionValidator.validate(document, executors: executors)
        guard errors.isEmpty else {
            throw DefinitionErrors(errors)
        }
        return document
    }

    /// Describes malformed JSON with the parser's message and the line and column it names.
    /// JSONDecoder on Linux drops the position, so JSONSerialization parses the data again.
    private static func syntaxError(in data: Data) -> DefinitionError {
        var detail = "not valid JSON"
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            detail = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? "\(error)"
        }

        if detail.hasSuffix(".") {
            detail.removeLast()
        }
        var message = "invalid JSON: \(detail)"
        if let range = detail.range(of: #"character \d+"#, options: .regularExpression),
            let offset = Int(detail[range].dropFirst("character ".count)), offset <= data.count
        {
            let before = data.prefix(offset)
            let line = before.filter { $0 == UInt8(ascii: "\n") }.count + 1
            let column = offset - (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
            message += " (line \(line), column \(column))"
        }
        return DefinitionError(field: "document", message: message)
    }

    private static func definitionError(from error: DecodingError) -> DefinitionError {
        switch error {
        case .keyNotFound(let key, let context):
            return DefinitionError(field: path(context.codingPath + [key]), message: "missing")
        case .typeMismatch(let type, let context):
            return DefinitionError(field: path(context.codingPath), message: "expected \(jsonTypeName(type))")
        case .valueNotFound(let type, let context):
            return DefinitionError(field: path(context.codingPath), message: "expected \(jsonTypeName(type)), found null")
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { "\($0)" } ?? context.debugDescription
            let message = "invalid JSON: " + underlying
            return DefinitionError(field: context.codingPath.isEmpty ? "document" : path(context.codingPath), message: message)
        @unknown default:
            return DefinitionError(field: "document", message: "\(error)")
        }
    }

    /// Formats a coding path as `steps[1].params`.
    private static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "document" : text
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Double.Type: "a number"
        default: String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}
