import Foundation

/// How long a server asked the client to wait, read from the places real APIs put it.
enum RateLimitHints {
    /// `Retry-After` (RFC 9110 §10.2.3): delta seconds, or an HTTP-date.
    static func retryAfter(_ headers: HTTPHeaders, now: Date) -> Duration? {
        guard let value = headers["Retry-After"]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            return nil
        }
        if let seconds = Double(value) {
            return seconds >= 0 ? .seconds(seconds) : nil
        }
        return httpDate(value).map { wait(until: $0, now: now) }
    }

    /// Render's `Ratelimit-Reset` (recorded as seconds until the reset, documented as epoch seconds) and
    /// the `X-RateLimit-Reset` some APIs send (epoch seconds). A value above 1e9 can only be an epoch
    /// time (it would otherwise be 30 years away), so both readings are handled.
    static func resetHeader(_ headers: HTTPHeaders, now: Date) -> Duration? {
        for name in ["Ratelimit-Reset", "X-RateLimit-Reset"] {
            guard let text = headers[name]?.trimmingCharacters(in: .whitespaces),
                  let value = Double(text), value >= 0 else { continue }
            return value > 1e9 ? wait(until: Date(timeIntervalSince1970: value), now: now) : .seconds(value)
        }
        return nil
    }

    /// Vercel's 429 body: `{"error":{"limit":{"reset":<epoch s>,"resetMs":<epoch ms>}}}`. `resetMs` wins
    /// when both are present because whole seconds can end the wait up to a second early.
    static func vercelLimitReset(_ body: [UInt8], now: Date) -> Duration? {
        struct Body: Decodable {
            struct Failure: Decodable { var limit: Limit? }
            struct Limit: Decodable { var reset: Double?; var resetMs: Double? }
            var error: Failure?
        }
        guard let limit = (try? JSONDecoder().decode(Body.self, from: Data(body)))?.error?.limit else { return nil }
        if let resetMs = limit.resetMs { return wait(until: Date(timeIntervalSince1970: resetMs / 1000), now: now) }
        if let reset = limit.reset { return wait(until: Date(timeIntervalSince1970: reset), now: now) }
        return nil
    }

    /// The time from `now` until `date`, or zero when it has passed.
    private static func wait(until date: Date, now: Date) -> Duration {
        .seconds(max(0, date.timeIntervalSince(now)))
    }

    /// Parses the three date formats HTTP allows (RFC 9110 §5.6.7): IMF-fixdate, and the obsolete
    /// RFC 850 and asctime forms.
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
