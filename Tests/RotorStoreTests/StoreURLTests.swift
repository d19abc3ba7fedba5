import Foundation
import RotorCore
@testable import RotorStore
import Testing

@Suite("Store URLs and SQL dialects")
struct StoreURLTests {
    @Test func sqliteAndPostgresURLsAreRecognised() throws {
        #expect(try StoreURL(parsing: "sqlite:.rotor/rotor.db") == .sqlite(path: ".rotor/rotor.db"))
        #expect(try StoreURL(parsing: "sqlite:/var/lib/rotor/rotor.db") == .sqlite(path: "/var/lib/rotor/rotor.db"))
        #expect(try StoreURL(parsing: "postgres://rotor@db:5432/rotor") == .postgres(uri: "postgres://rotor@db:5432/rotor"))
        #expect(try StoreURL(parsing: "postgresql://db/rotor?sslmode=require") == .postgres(uri: "postgresql://db/rotor?sslmode=require"))
        #expect(try StoreURL(parsing: StoreURL.defaultURL).backend == "sqlite")
    }

    @Test(arguments: ["", "sqlite:", "sqlite://x.db", "sqlite::memory:", "mysql://root:hunter2@db/rotor", "postgres://", "rotor.db"])
    func invalidURLsAreRefusedNamingTheAcceptedForms(_ text: String) {
        let error = #expect(throws: StoreError.self) { try StoreURL(parsing: text) }
        #expect(error?.code == .invalidURL)
        #expect(error?.description.contains("sqlite:PATH") == true)
        #expect(error?.description.contains("postgres://") == true)
        #expect(error?.description.contains("hunter2") == false)
    }

    @Test func passwordsNeverAppearInTheDescription() throws {
        let url = try StoreURL(parsing: "postgres://rotor:s3cr%40t@db:5432/rotor?sslmode=require")
        #expect("\(url)" == "postgres://rotor:***@db:5432/rotor?sslmode=require")
        let query = try StoreURL(parsing: "postgresql://db/rotor?user=rotor&password=hunter2&sslmode=disable")
        #expect("\(query)" == "postgresql://db/rotor?user=rotor&password=***&sslmode=disable")
        #expect(url.redact("FATAL: bad password s3cr@t or s3cr%40t") == "FATAL: bad password *** or ***")
    }

    @Test func aFailedPostgresConnectionSaysWhereWithoutThePassword() async throws {
        // Port 1 on loopback: nothing listens there, so libpq fails at once.
        let error = await #expect(throws: StoreError.self) {
            try await openStore(url: "postgres://rotor:hunter2@127.0.0.1:1/rotor?connect_timeout=2", logger: TestDatabase.logger)
        }
        #expect(error?.code == .connectionFailed)
        #expect(error?.description.contains("127.0.0.1") == true)
        #expect(error?.description.contains("hunter2") == false)
    }

    @Test func placeholdersBecomeNumberedOnPostgresOnly() {
        let sql = "SELECT '?' AS q, \"a?\" FROM t WHERE a = ? AND b IN (?, ?)"
        #expect(SQLDialect.sqlite.placeholders(in: sql) == sql)
        #expect(SQLDialect.postgres.placeholders(in: sql) == "SELECT '?' AS q, \"a?\" FROM t WHERE a = $1 AND b IN ($2, $3)")
    }

    @Test func libraryVersionsAreReported() {
        #expect(StoreLibraries.sqliteVersion.hasPrefix("3."))
        #expect(StoreLibraries.libpqVersion.split(separator: ".").count >= 2)
        #expect(StoreLibraries.version.contains("SQLite") && StoreLibraries.version.contains("libpq"))
    }

    @Test func storeErrorsMatchByCodeAndSayWhatToDo() {
        #expect(StoreError.activeRotationExists(rotationID: "r1").activeRotationID == "r1")
        #expect(StoreError.notFound("rotation r1").activeRotationID == nil)
        #expect(StoreError.schemaTooNew(found: 3, supported: 1).description.contains("upgrade rotor"))
        #expect(StoreError.queryFailed("x") != StoreError.connectionFailed("x"))
        #expect(StoreError.migrationFailed(version: 2, message: "boom").code == .migrationFailed)
    }
}
