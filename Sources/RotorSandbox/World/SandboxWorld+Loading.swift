import Foundation
import Yams

extension SandboxWorld {
    /// Reads a world from a YAML or JSON file (JSON when the name ends in `.json`, else YAML, of
    /// which JSON is a subset) and validates it.
    ///
    /// - Throws: `SandboxWorldError` naming the file and every problem found.
    public static func load(file path: String) throws -> SandboxWorld {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SandboxWorldError(source: path, problems: ["cannot read the file: \(error.localizedDescription)"])
        }
        return try decode(data, source: path, json: path.lowercased().hasSuffix(".json"))
    }

    /// Decodes and validates a world from the text of a world file.
    static func decode(_ data: Data, source: String, json: Bool) throws -> SandboxWorld {
        let world: SandboxWorld
        do {
            if json {
                world = try JSONDecoder().decode(SandboxWorld.self, from: data)
            } else {
                let text = String(decoding: data, as: UTF8.self)
                // An empty YAML document is the default world, as an empty JSON object would be.
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                world = trimmed.isEmpty ? SandboxWorld() : try YAMLDecoder().decode(SandboxWorld.self, from: text)
            }
        } catch let error as DecodingError {
            throw SandboxWorldError(source: source, problems: [Self.describe(error)])
        } catch {
            throw SandboxWorldError(source: source, problems: ["not valid \(json ? "JSON" : "YAML"): \(error)"])
        }
        try world.validate(source: source)
        return world
    }

    /// Checks the world is consistent.
    ///
    /// - Throws: `SandboxWorldError` listing every problem.
    public func validate(source: String = "<world>") throws {
        let problems = WorldValidator(world: self).problems()
        if !problems.isEmpty { throw SandboxWorldError(source: source, problems: problems) }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            var text = ""
            for key in codingPath {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return text.isEmpty ? "the top level" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): required but missing"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(Self.typeName(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(Self.typeName(type)), found null"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is Bool.Type: "true or false"
        case is [String: String].Type: "a map of names to string values"
        default: "a value of type \(type)"
        }
    }
}
