import RotorHTTP
import Testing

@Suite struct HTTPHeadersTests {
    @Test func lookupIgnoresCaseAndReturnsTheFirstValue() {
        let headers: HTTPHeaders = ["Set-Cookie": "a=1", "content-type": "text/plain", "set-cookie": "b=2"]
        #expect(headers["CONTENT-TYPE"] == "text/plain")
        #expect(headers["set-COOKIE"] == "a=1")
        #expect(headers.values(for: "Set-Cookie") == ["a=1", "b=2"])
        #expect(headers["Missing"] == nil)
    }

    @Test func keepsInsertionOrderAndRepeatedNames() {
        var headers = HTTPHeaders()
        headers.add(name: "B", value: "1")
        headers.add(name: "A", value: "2")
        headers.add(name: "b", value: "3")
        #expect(headers.map(\.name) == ["B", "A", "b"])
        #expect(headers.map(\.value) == ["1", "2", "3"])
        #expect(headers.count == 3)
    }

    @Test func replaceOrAddReplacesEveryFieldOfThatNameInPlace() {
        var headers: HTTPHeaders = ["Accept": "a", "X-One": "1", "accept": "b"]
        headers.replaceOrAdd(name: "ACCEPT", value: "c")
        #expect(headers.map(\.name) == ["ACCEPT", "X-One"])
        #expect(headers["accept"] == "c")
        headers.replaceOrAdd(name: "X-Two", value: "2")
        #expect(headers.map(\.name) == ["ACCEPT", "X-One", "X-Two"])
    }

    @Test func removeAndNilAssignmentDropEveryFieldOfThatName() {
        var headers: HTTPHeaders = ["A": "1", "a": "2", "B": "3"]
        headers.remove(name: "A")
        #expect(headers.map(\.name) == ["B"])
        headers["b"] = nil
        #expect(headers.isEmpty)
        headers["C"] = "4"
        #expect(headers == ["C": "4"])
    }
}
