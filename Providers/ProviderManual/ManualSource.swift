import Foundation
import RotorCore
import RotorHTTP

/// A source for vendors without a key API (Stripe, Render, GitHub App keys): a person creates the new key in the
/// vendor's dashboard and hands it to Rotor (`rotor supply`, or the one-time supply link). Rotor checks it
/// (`expect`, then the `test` request), seals it, and does the rest. Nothing is revoked at the vendor: the person
/// does that (or the vendor's own expiry does), and the `revoke_check` (the OLD value must now be refused) proves it
/// before the rotation completes; without one, the person's confirmation does.
public struct ManualSource: SuppliedValueSource {
    public static let schema = ProviderSchema(kind: .source, name: "manual", fields: [
        FieldSpec("instructions", .nonEmptyString, required: true, doc: "what the owner does to get the new value"),
        FieldSpec("expect", .string, doc: "a regular expression the value must match, e.g. ^rk_live_[A-Za-z0-9]{24,}$"),
        FieldSpec("test", .object(testFields), doc: "a request that must succeed with the value before it is accepted"),
        FieldSpec("request_before", .duration, doc: "ask this long before the rotation is due (default 3d)"),
        FieldSpec("deadline", .duration, doc: "how long after the due date the value may come, and after grace the old one be revoked (default 7d)"),
        FieldSpec("revoke_check", .object(testFields), doc: "a request with the OLD value ({{value}}) that proves it dead, e.g. expect_status: 401"),
        FieldSpec("revoke_instructions", .nonEmptyString, doc: "what the owner does to revoke the old value (or confirm its expiry)"),
    ], rules: ManualRules.check)

    /// The fields of `test:`: an `http` request, or a built-in check that knows its vendor (`github-app`, whose
    /// fields ManualRules checks; the registry builds it as the check of that name).
    static let testFields = [
        FieldSpec("provider", .enumeration(["http", "github-app"]), required: true, doc: "provider: http (or github-app)"),
        FieldSpec("url", .url, doc: "e.g. https://api.stripe.com/v1/balance (http)"),
        FieldSpec("method", .enumeration(["GET", "HEAD", "POST"]), doc: "default GET (http)"),
        FieldSpec("headers", .stringMap, doc: "request headers; values may use {{value}} for the supplied value (http)"),
        FieldSpec("expect_status", .int(100...599), doc: "default 200"),
        FieldSpec("timeout", .duration, doc: "default 10s"),
        FieldSpec("app_id", .string, doc: "the App ID (github-app)"),
        FieldSpec("client_id", .string, doc: "the App's client ID, instead of app_id (github-app)"),
        FieldSpec("api_url", .url, doc: "default https://api.github.com (github-app)"),
    ]

    /// A `test:` other than `http`: a check built by the provider registry, run once on a supplied value.
    public typealias ValueTest = @Sendable (SecretValue, any RotorClock) async throws -> Void

    /// The longest value accepted (a PEM private key fits many times over).
    public static let maxValueBytes = 16_384

    public let instructions: String
    public let expect: String?
    public let test: ManualTest?
    /// The `test:` when it is not an `http` request (see ``ValueTest``).
    let valueTest: ValueTest?
    public let requestBefore: Duration
    public let deadline: Duration
    /// Proves the old value dead once grace has ended (`revoke_check`, default `expect_status` 401).
    public let revokeCheck: ManualTest?
    /// The `revoke_check:` when it is a built-in check (`github-app` with `expect_status` 401): it passes once the
    /// OLD value is refused.
    let revokeValueTest: ValueTest?
    public let revokeInstructions: String?
    let supplied: SecretValue?

    public init(config: ProviderConfig, client: HTTPClient, valueTest: ValueTest? = nil, revokeValueTest: ValueTest? = nil) {
        instructions = config.string("instructions") ?? ""
        expect = config.string("expect")
        test = config.value("test").flatMap { $0["provider"]?.stringValue == "http" ? ManualTest(fields: $0, client: client) : nil }
        self.valueTest = valueTest
        requestBefore = config.duration("request_before") ?? .seconds(3 * 86_400)
        deadline = config.duration("deadline") ?? .seconds(7 * 86_400)
        revokeCheck = config.value("revoke_check").flatMap {
            $0["provider"]?.stringValue == "http" ? ManualTest(fields: $0, defaultStatus: ManualTest.revokeStatus, client: client) : nil
        }
        self.revokeValueTest = revokeValueTest
        revokeInstructions = config.string("revoke_instructions")
        supplied = nil
    }

    private init(copying source: ManualSource, supplied: SecretValue) {
        instructions = source.instructions
        expect = source.expect
        test = source.test
        valueTest = source.valueTest
        requestBefore = source.requestBefore
        deadline = source.deadline
        revokeCheck = source.revokeCheck
        revokeValueTest = source.revokeValueTest
        revokeInstructions = source.revokeInstructions
        self.supplied = supplied
    }

    public func check(_ value: SecretValue, clock: any RotorClock) async throws {
        let text = value.revealed
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ValueRefusal("the value is empty") }
        guard value.bytes.count <= Self.maxValueBytes else {
            throw ValueRefusal("the value is longer than \(Self.maxValueBytes) bytes")
        }
        guard String(validating: value.bytes, as: UTF8.self) != nil,
              !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t" || $0.value == 0x7F }) else {
            throw ValueRefusal("the value holds control characters; paste the key itself")
        }
        if let expect, let pattern = try? NSRegularExpression(pattern: expect) {
            let range = NSRange(text.startIndex..., in: text)
            guard pattern.firstMatch(in: text, range: range) != nil else {
                throw ValueRefusal("the value does not have the expected form (\(expect)); nothing was changed")
            }
        }
        try await test?.run(value)
        if let valueTest {
            do {
                try await valueTest(value, clock)
            } catch {
                throw ValueRefusal("the test did not pass: \(Redactor(values: [value]).scrub("\(error)")); nothing was changed")
            }
        }
    }

    public func supplying(_ value: SecretValue) -> any CredentialSource {
        ManualSource(copying: self, supplied: value)
    }

    public func mint(_ context: StepContext) async throws -> MintedCredential {
        guard let supplied else {
            throw ValueRefusal("no value was supplied to this rotation in this process; "
                               + "run `rotor supply \(context.secret)` (or open the supply link) again")
        }
        return MintedCredential(value: supplied)
    }

    /// The old key is revoked by a person in the vendor's dashboard (or expires there): see ``proveRevoked(_:)``.
    public func revoke(_ credential: StoredCredential, _ context: StepContext) async throws {}

    public var hasRevokeCheck: Bool { revokeCheck != nil || revokeValueTest != nil }

    public func proveRevoked(_ old: SecretValue, clock: any RotorClock) async throws -> String {
        if let revokeValueTest {
            do {
                try await revokeValueTest(old, clock)
            } catch {
                throw RevokePending("the revoke_check did not see the old value refused: "
                                    + "\(Redactor(values: [old]).scrub("\(error)")); it is tried again in a few minutes")
            }
            return "revoke_check: the built-in check was refused the old value, as expected"
        }
        guard let revokeCheck else { throw RevokePending("no revoke_check: a person confirms that the old value is revoked") }
        let status: Int
        do {
            status = try await revokeCheck.answer(old)
        } catch {
            throw RevokePending("the revoke_check request to \(revokeCheck.shownURL) failed: "
                                + "\(Redactor(values: [old]).scrub("\(error)")); it is tried again in a few minutes")
        }
        guard status == revokeCheck.expectStatus else {
            throw RevokePending("the old value still works at \(revokeCheck.shownURL) (HTTP \(status); the revoke_check "
                                + "expects \(revokeCheck.expectStatus) once it is revoked)")
        }
        return "revoke_check: \(revokeCheck.method.rawValue) \(revokeCheck.shownURL) answered HTTP \(status) to the old value"
    }

    public var canRevoke: Bool { false }
}
