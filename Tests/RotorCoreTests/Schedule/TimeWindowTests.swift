import Foundation
import Testing
import RotorCore

@Suite("Time windows")
struct TimeWindowTests {
    @Test func plainWindowContainsItsStartButNotItsEnd() throws {
        let window = try TimeWindow(parsing: "02:00-04:00")
        #expect(window.start == (2, 0) && window.end == (4, 0))
        #expect(window.description == "02:00-04:00")
        #expect(window.contains(utc("2026-01-01T02:00:00Z"), in: utcZone))
        #expect(window.contains(utc("2026-01-01T03:59:59Z"), in: utcZone))
        #expect(!window.contains(utc("2026-01-01T04:00:00Z"), in: utcZone))
        #expect(!window.contains(utc("2026-01-01T01:59:59Z"), in: utcZone))
    }

    @Test func windowWrappingMidnightSpansTwoDays() throws {
        let window = try TimeWindow(parsing: "23:00-01:00")
        #expect(window.contains(utc("2026-01-01T23:30:00Z"), in: utcZone))
        #expect(window.contains(utc("2026-01-02T00:30:00Z"), in: utcZone))
        #expect(!window.contains(utc("2026-01-02T01:00:00Z"), in: utcZone))
        #expect(!window.contains(utc("2026-01-01T22:59:00Z"), in: utcZone))
        // Outside it, the next opening is 23:00 the same evening.
        #expect(window.nextOpening(atOrAfter: utc("2026-01-01T12:00:00Z"), in: utcZone) == utc("2026-01-01T23:00:00Z"))
        #expect(window.nextOpening(atOrAfter: utc("2026-01-02T00:10:00Z"), in: utcZone) == utc("2026-01-02T00:10:00Z"))
    }

    @Test func containsReadsTheWallClockOfTheZone() throws {
        let window = try TimeWindow(parsing: "02:00-04:00")
        // 01:30Z is 02:30 in Berlin in winter (+1) but 03:30 in summer (+2): inside either way; 02:30Z is 03:30/04:30.
        #expect(window.contains(utc("2026-01-15T01:30:00Z"), in: berlin))
        #expect(window.contains(utc("2026-01-15T02:30:00Z"), in: berlin))
        #expect(!window.contains(utc("2026-07-15T02:30:00Z"), in: berlin))
    }

    @Test func nextOpeningIsTheSameDayOrTheNext() throws {
        let window = try TimeWindow(parsing: "02:00-04:00")
        #expect(window.nextOpening(atOrAfter: utc("2026-01-01T01:00:00Z"), in: utcZone) == utc("2026-01-01T02:00:00Z"))
        #expect(window.nextOpening(atOrAfter: utc("2026-01-01T12:00:00Z"), in: utcZone) == utc("2026-01-02T02:00:00Z"))
        #expect(window.nextOpening(atOrAfter: utc("2026-01-01T03:00:00Z"), in: utcZone) == utc("2026-01-01T03:00:00Z"))
    }

    @Test func openingInASpringForwardGapMovesToTheEndOfTheGap() throws {
        // Berlin 2026-03-29: 02:00 does not exist; 03:00 CEST (01:00Z) is the first instant after, still before 04:00.
        let window = try TimeWindow(parsing: "02:00-04:00")
        #expect(window.nextOpening(atOrAfter: utc("2026-03-28T22:00:00Z"), in: berlin) == utc("2026-03-29T01:00:00Z"))
        // A window entirely inside the gap does not exist that day: the next is Mar 30, 02:00 CEST = 00:00Z.
        let inGap = try TimeWindow(parsing: "02:00-02:30")
        #expect(inGap.nextOpening(atOrAfter: utc("2026-03-28T22:00:00Z"), in: berlin) == utc("2026-03-30T00:00:00Z"))
    }

    @Test(arguments: ["2:00-4:00", "02:00", "02:00-04:00-05:00", "24:00-01:00", "02:60-03:00", "0200-0400", "aa:bb-cc:dd", ""])
    func malformedWindowIsRefusedWithTheForm(_ text: String) {
        #expect {
            _ = try TimeWindow(parsing: text)
        } throws: { error in
            (error as? TimeWindowError)?.reason.contains("HH:MM-HH:MM") == true
        }
    }

    @Test func zeroLengthWindowIsRefused() {
        #expect {
            _ = try TimeWindow(parsing: "03:00-03:00")
        } throws: { error in
            (error as? TimeWindowError)?.reason.contains("never opens") == true
        }
        #expect(throws: TimeWindowError.self) { try TimeWindow(start: (5, 0), end: (5, 0)) }
        #expect(throws: TimeWindowError.self) { try TimeWindow(start: (25, 0), end: (5, 0)) }
    }
}
