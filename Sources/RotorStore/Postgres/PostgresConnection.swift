import CPostgres
import Foundation
import RotorCore

/// A PostgreSQL connection through libpq, used by one thread at a time (the ``ConnectionThread`` that opened it).
///
/// Parameters are sent with `PQexecParams`: text format for text and integers, binary format for byte strings;
/// results come back in text format (`bytea` as `\x` hex). Error messages are libpq's primary message and
/// SQLSTATE only: the DETAIL field can quote row values (a failing row's sealed bytes), so it is never read.
final class PostgresConnection: SQLConnection {
    let dialect = SQLDialect.postgres
    private let url: StoreURL
    private var conn: OpaquePointer?
    /// `?` → `$n` rewrites, by SQL text: the same few dozen statements run over and over.
    private var rewritten: [String: String] = [:]

    /// Connects to `url` (a `postgres://` or `postgresql://` URI, handed to libpq as is).
    init(url: StoreURL) throws {
        self.url = url
        guard case .postgres(let uri) = url else {
            throw StoreError.invalidURL("expected a postgres:// URL")
        }
        let handle = Self.connect(uri)
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            let message = handle.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(handle)
            throw StoreError.connectionFailed("cannot connect to PostgreSQL at \(url): \(url.redact(Self.trimmed(message)))")
        }
        conn = handle
        // libpq prints NOTICEs (such as "relation already exists, skipping") on stderr by default.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    /// Connects with Rotor's defaults (a 10 s connect timeout instead of none, an application name the DBA can
    /// see in pg_stat_activity), each overridden by the same parameter in the URI.
    private static func connect(_ uri: String) -> OpaquePointer? {
        // Later entries override earlier ones, and `dbname` expands to every parameter the URI holds.
        let keywords = ["connect_timeout", "application_name", "dbname"]
        let values = ["10", "rotor", uri]
        var keywordPointers = keywords.map { strdup($0) }
        var valuePointers = values.map { strdup($0) }
        defer {
            keywordPointers.forEach { free($0) }
            valuePointers.forEach { free($0) }
        }
        keywordPointers.append(nil)
        valuePointers.append(nil)
        return keywordPointers.withUnsafeBufferPointer { keywordBuffer in
            valuePointers.withUnsafeBufferPointer { valueBuffer in
                keywordBuffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: keywordBuffer.count) { k in
                    valueBuffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: valueBuffer.count) { v in
                        PQconnectdbParams(k, v, 1)
                    }
                }
            }
        }
    }

    deinit {
        close()
    }

    func execute(_ sql: String, _ parameters: [SQLValue]) throws -> SQLResult {
        guard let conn else { throw StoreError.connectionFailed("the PostgreSQL connection to \(url) is closed") }
        let text = rewrite(sql)
        let result: OpaquePointer? = try withParameters(parameters) { values, lengths, formats in
            PQexecParams(conn, text, Int32(parameters.count), nil, values, lengths, formats, 0)
        }
        guard let result else { throw lostConnection() }
        defer { PQclear(result) }
        try check(result)
        return try read(result)
    }

    func executeScript(_ sql: String) throws {
        guard let conn else { throw StoreError.connectionFailed("the PostgreSQL connection to \(url) is closed") }
        guard let result = PQexec(conn, sql) else { throw lostConnection() }
        defer { PQclear(result) }
        try check(result)
    }

    func ensureUsable() throws {
        guard let conn else { throw StoreError.connectionFailed("the PostgreSQL connection to \(url) is closed") }
        if PQstatus(conn) != CONNECTION_OK {
            PQreset(conn)
            guard PQstatus(conn) == CONNECTION_OK else {
                let message = Self.trimmed(String(cString: PQerrorMessage(conn)))
                throw StoreError.connectionFailed("lost the connection to PostgreSQL at \(url) and could not reconnect: \(url.redact(message))")
            }
        }
        // A connection left inside a transaction (a crash between BEGIN and COMMIT) must not leak into the next.
        if PQtransactionStatus(conn) != PQTRANS_IDLE {
            try executeScript("ROLLBACK")
        }
    }

    func close() {
        if let conn { PQfinish(conn) }
        conn = nil
    }

    // MARK: - Notifications

    /// Waits up to `timeout` for a notification on a channel this connection LISTENs to, and says whether one
    /// came. Blocks the calling thread (the connection's own) in poll(2) on libpq's socket.
    func waitForNotification(timeout: Duration) throws -> Bool {
        guard let conn else { throw StoreError.connectionFailed("the PostgreSQL connection to \(url) is closed") }
        func drain() -> Bool {
            var any = false
            while let notification = PQnotifies(conn) {
                PQfreemem(notification)
                any = true
            }
            return any
        }
        guard PQconsumeInput(conn) == 1 else { throw lostConnection() }
        if drain() { return true }
        var descriptor = pollfd(fd: PQsocket(conn), events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&descriptor, 1, milliseconds) > 0 else { return false }
        guard PQconsumeInput(conn) == 1 else { throw lostConnection() }
        return drain()
    }

    // MARK: - Parameters and results

    private func rewrite(_ sql: String) -> String {
        if let text = rewritten[sql] { return text }
        let text = dialect.placeholders(in: sql)
        rewritten[sql] = text
        return text
    }

    /// Copies the parameters into C buffers that live for the duration of `body`.
    private func withParameters<R>(
        _ parameters: [SQLValue],
        _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R
    ) throws -> R {
        var buffers: [UnsafeMutableRawPointer?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        buffers.reserveCapacity(parameters.count)
        defer { for buffer in buffers { buffer?.deallocate() } }
        for parameter in parameters {
            switch parameter {
            case .null:
                buffers.append(nil)
                lengths.append(0)
                formats.append(0)
            case .int(let number):
                buffers.append(Self.cString(String(number)))
                lengths.append(0)
                formats.append(0)
            case .text(let text):
                guard !text.utf8.contains(0) else {
                    throw StoreError.queryFailed("PostgreSQL text cannot contain a NUL character")
                }
                buffers.append(Self.cString(text))
                lengths.append(0)
                formats.append(0)
            case .blob(let bytes):
                // Binary format; a non-NULL pointer even for zero bytes, since NULL means SQL NULL.
                let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
                bytes.withUnsafeBytes { source in
                    if let base = source.baseAddress { buffer.copyMemory(from: base, byteCount: source.count) }
                }
                buffers.append(buffer)
                lengths.append(Int32(bytes.count))
                formats.append(1)
            }
        }
        let values: [UnsafePointer<CChar>?] = buffers.map { $0.map { UnsafePointer($0.assumingMemoryBound(to: CChar.self)) } }
        return values.withUnsafeBufferPointer { values in
            lengths.withUnsafeBufferPointer { lengths in
                formats.withUnsafeBufferPointer { formats in
                    body(values.baseAddress, lengths.baseAddress, formats.baseAddress)
                }
            }
        }
    }

    private static func cString(_ text: String) -> UnsafeMutableRawPointer {
        let utf8 = Array(text.utf8)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: utf8.count + 1, alignment: 1)
        utf8.withUnsafeBytes { source in
            if let base = source.baseAddress { buffer.copyMemory(from: base, byteCount: source.count) }
        }
        buffer.storeBytes(of: 0, toByteOffset: utf8.count, as: UInt8.self)
        return buffer
    }

    /// The error for a call that returned no result at all (out of memory, or the connection is gone).
    private func lostConnection() -> StoreError {
        let message = conn.map { Self.trimmed(String(cString: PQerrorMessage($0))) } ?? "no connection"
        return StoreError.connectionFailed("PostgreSQL at \(url): \(url.redact(message))")
    }

    private func check(_ result: OpaquePointer) throws {
        let status = PQresultStatus(result)
        guard status != PGRES_COMMAND_OK, status != PGRES_TUPLES_OK else { return }
        let field = { (code: UInt8) -> String? in
            PQresultErrorField(result, Int32(code)).map { String(cString: $0) }
        }
        let state = field(UInt8(ascii: "C")) ?? ""
        let message = field(UInt8(ascii: "M")) ?? Self.trimmed(String(cString: PQresultErrorMessage(result)))
        if let conn, PQstatus(conn) != CONNECTION_OK {
            throw StoreError.connectionFailed("lost the connection to PostgreSQL at \(url): \(message)")
        }
        switch state {
        case let code where code.hasPrefix("23"):
            throw StoreError.constraintViolation("\(message) (SQLSTATE \(code))")
        case let code where code.hasPrefix("08"):
            throw StoreError.connectionFailed("PostgreSQL at \(url): \(message) (SQLSTATE \(code))")
        default:
            throw StoreError.queryFailed(state.isEmpty ? message : "\(message) (SQLSTATE \(state))")
        }
    }

    private func read(_ result: OpaquePointer) throws -> SQLResult {
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        var rows: [SQLRow] = []
        if rowCount > 0 {
            let columns = SQLRow.Columns((0..<columnCount).map { String(cString: PQfname(result, $0)) })
            let types = (0..<columnCount).map { PQftype(result, $0) }
            rows.reserveCapacity(Int(rowCount))
            for row in 0..<rowCount {
                var values: [SQLValue] = []
                values.reserveCapacity(Int(columnCount))
                for column in 0..<columnCount {
                    values.append(try value(result, row, column, type: types[Int(column)], name: columns.names[Int(column)]))
                }
                rows.append(SQLRow(columns: columns, values: values))
            }
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return SQLResult(rows: rows, affectedRows: affected)
    }

    private func value(_ result: OpaquePointer, _ row: Int32, _ column: Int32, type: Oid, name: String) throws -> SQLValue {
        if PQgetisnull(result, row, column) != 0 { return .null }
        let length = Int(PQgetlength(result, row, column))
        let bytes = UnsafeRawBufferPointer(start: PQgetvalue(result, row, column), count: length)
        switch type {
        case PostgresType.bool:
            return .int(bytes.first == UInt8(ascii: "t") ? 1 : 0)
        case PostgresType.int2, PostgresType.int4, PostgresType.int8, PostgresType.oid:
            guard let number = Int64(String(decoding: bytes, as: UTF8.self)) else {
                throw StoreError.queryFailed("column \(name) returned an integer PostgreSQL could not format")
            }
            return .int(number)
        case PostgresType.bytea:
            guard let decoded = Self.decodeHexBytea(bytes) else {
                throw StoreError.queryFailed("column \(name) returned bytea in an unexpected format; set bytea_output = 'hex'")
            }
            return .blob(decoded)
        default:
            return .text(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// Decodes PostgreSQL's text form of `bytea` (`\x` followed by two hex digits per byte).
    static func decodeHexBytea(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        guard text.count >= 2, text[0] == UInt8(ascii: "\\"), text[1] == UInt8(ascii: "x"), text.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity((text.count - 2) / 2)
        var index = 2
        while index < text.count {
            guard let high = nibble(text[index]), let low = nibble(text[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func trimmed(_ message: String) -> String {
        message.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: " ")
    }
}

/// The type OIDs the reader converts specially; every other type is read as text.
private enum PostgresType {
    static let bool: Oid = 16
    static let bytea: Oid = 17
    static let int8: Oid = 20
    static let int2: Oid = 21
    static let int4: Oid = 23
    static let oid: Oid = 26
}
