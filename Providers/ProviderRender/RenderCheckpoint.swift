import Foundation

/// The journal note naming the deploys a Render step started: `{"deploy":"dep-…"}` for a service,
/// `{"deploys":{"srv-…":"dep-…",…}}` for an env group (one entry per linked service).
enum RenderCheckpoint {
    enum Shape: Sendable {
        /// One service, whose id the note need not repeat.
        case service(String)
        /// The services linked to an env group.
        case envGroup
    }

    private struct Note: Codable {
        var deploy: String?
        var deploys: [String: String]?
    }

    static func write(_ deploys: [String: String], shape: Shape) -> String {
        let note: Note = switch shape {
        case .service(let service): Note(deploy: deploys[service])
        case .envGroup: Note(deploys: deploys)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(note)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The deploys a note names, by service; empty for no note or one this version cannot read.
    static func read(_ text: String?, shape: Shape) -> [String: String] {
        guard let text, let note = try? JSONDecoder().decode(Note.self, from: Data(text.utf8)) else { return [:] }
        var deploys = note.deploys ?? [:]
        if case .service(let service) = shape, let deploy = note.deploy { deploys[service] = deploy }
        return deploys
    }
}
