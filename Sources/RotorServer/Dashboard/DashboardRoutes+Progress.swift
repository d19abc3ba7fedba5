import Foundation
import Hummingbird
import NIOCore
import RotorCore

extension DashboardRoutes {
    struct ProgressView {
        var id: String
        var events: String
        var progress: DashboardProgress?
        var found: Bool
    }

    /// `GET /ui/rotations/{id}`: the rotation's state now (without JavaScript: reload to follow), kept current by
    /// the page's one script from the server-sent events.
    func progressPage(_ request: Request, context: RotorRequestContext) async throws -> Response {
        try await page(context) { session in
            let id = context.parameters.get("id") ?? ""
            guard Self.isRotationID(id) else {
                throw ServerError(.notFound, "no such rotation", hint: "the secret's page lists its rotations", format: .html)
            }
            let through = Self.followsThroughGrace(request)
            let progress = try await DashboardProgress.read(id, dependencies: dependencies, throughGrace: through)
            let events = "/ui/rotations/\(id)/events" + (through ? "?follow=revoke" : "")
            return DashboardPage(template: "progress", title: "Rotation \(id)",
                                 view: ProgressView(id: id, events: events, progress: progress, found: progress != nil),
                                 session: session, progressScript: true).response()
        }
    }

    /// `GET /ui/rotations/{id}/events`: `text/event-stream`, one `progress` event whenever what the page shows changes,
    /// until the outcome. A rotation just started from the dashboard may not be in the store yet: it is waited for.
    func progressEvents(_ request: Request, context: RotorRequestContext) async throws -> Response {
        guard auth.signedIn(context) != nil else {
            throw ServerError(.unauthorized, "sign in first", hint: "open /ui/sign-in", format: .html)
        }
        let id = context.parameters.get("id") ?? ""
        guard Self.isRotationID(id) else { throw ServerError(.notFound, "no such rotation", hint: "check the address", format: .html) }
        let (dependencies, through) = (dependencies, Self.followsThroughGrace(request))
        var headers = DashboardPage.headers(nonce: "none", type: "text/event-stream")
        headers[HTTPFields.Element.Name("X-Accel-Buffering")!] = "no"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await Self.stream(id, dependencies: dependencies, throughGrace: through, to: &writer)
        })
    }

    /// Polls the store twice a second; sends a comment line every 10 s so that proxies and the idle timeout keep the
    /// connection; ends at the outcome, or after an hour (the browser reconnects).
    static func stream(_ id: String, dependencies: ServiceDependencies, throughGrace: Bool,
                       to writer: inout any ResponseBodyWriter) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var sent: DashboardProgress?
        var quiet = 0
        for tick in 0..<7200 {
            let progress = try await DashboardProgress.read(id, dependencies: dependencies, throughGrace: throughGrace)
            if let progress, progress != sent {
                let data = String(decoding: try encoder.encode(progress), as: UTF8.self)
                try await writer.write(ByteBuffer(string: "event: progress\ndata: \(data)\n\n"))
                sent = progress
                quiet = 0
                if progress.done { break }
            } else if progress == nil, tick == 60 {
                try await writer.write(ByteBuffer(string: "event: missing\ndata: {}\n\n"))
                break
            } else {
                quiet += 1
                if quiet % 20 == 0 { try await writer.write(ByteBuffer(string: ": waiting\n\n")) }
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        try await writer.finish(nil)
    }

    /// `?follow=revoke`: an emergency that revokes the old value of a rotation in grace is followed to its end.
    static func followsThroughGrace(_ request: Request) -> Bool {
        request.uri.queryParameters["follow"] == "revoke"
    }

    static func isRotationID(_ id: String) -> Bool {
        id.hasPrefix("rot_") && id.count <= 64 && id.utf8.allSatisfy { $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0)
            || (0x41...0x5a).contains($0) || (0x61...0x7a).contains($0) }
    }
}
