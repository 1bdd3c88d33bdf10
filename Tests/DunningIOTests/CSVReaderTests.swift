import Testing
@testable import DunningIO

/// What the reader produced, in order: records (line, fields) and syntax errors (line, column).
enum CSVItem: Equatable, CustomStringConvertible {
    case record(Int, [String])
    case error(Int, Int)

    var description: String {
        switch self {
        case let .record(line, fields): return "record@\(line) \(fields)"
        case let .error(line, column): return "error@\(line):\(column)"
        }
    }
}

/// Reads `text` to the end through a writable buffer made from an array.
func readCSV(_ text: String) -> [CSVItem] { readCSV(Array(text.utf8)).items }

func readCSV(_ bytes: [UInt8]) -> (items: [CSVItem], messages: [String]) {
    var bytes = bytes
    return bytes.withUnsafeMutableBufferPointer { buffer in
        var reader = CSVReader(buffer: buffer)
        var items: [CSVItem] = [], messages: [String] = []
        for _ in 0..<10_000 { // a reader that stops advancing must not hang the test
            do throws(CSVReader.SyntaxError) {
                guard try reader.next() else { break }
                items.append(.record(reader.recordLine, (0..<reader.fields.count).map { reader.string($0) ?? "<invalid UTF-8>" }))
            } catch {
                items.append(.error(error.line, error.column))
                messages.append(error.message)
            }
        }
        return (items, messages)
    }
}

@Suite("CSVReader")
struct CSVReaderTests {
    @Test func plainRecords() {
        #expect(readCSV("a,b,c\n1,2,3\n") == [.record(1, ["a", "b", "c"]), .record(2, ["1", "2", "3"])])
    }

    @Test func emptyFields() {
        #expect(readCSV(",,\n") == [.record(1, ["", "", ""])])
        #expect(readCSV("1,\n") == [.record(1, ["1", ""])])
        #expect(readCSV("1,") == [.record(1, ["1", ""])])
        #expect(readCSV("\"\",x\n") == [.record(1, ["", "x"])])
    }

    @Test func quotedFieldsWithCommas() {
        #expect(readCSV("\"x,y\",z\n\"1,000.00\",\",\"\n") == [.record(1, ["x,y", "z"]), .record(2, ["1,000.00", ","])])
    }

    @Test func doubledQuotes() {
        #expect(readCSV("\"he said \"\"hi\"\"\",2\n") == [.record(1, ["he said \"hi\"", "2"])])
        #expect(readCSV("\"\"\"\"\n") == [.record(1, ["\""])])
        #expect(readCSV("\"a\"\"\",\"\"\"b\"\n") == [.record(1, ["a\"", "\"b"])])
    }

    @Test func embeddedNewlinesAdvanceLineNumbers() {
        let text = "id,note\n1,\"line1\nline2\nline3\"\n2,x\n"
        #expect(readCSV(text) == [
            .record(1, ["id", "note"]),
            .record(2, ["1", "line1\nline2\nline3"]),
            .record(5, ["2", "x"]),
        ])
    }

    @Test func crlfLineEnds() {
        #expect(readCSV("a,b\r\n1,2\r\n") == [.record(1, ["a", "b"]), .record(2, ["1", "2"])])
        // Inside quotes a CRLF is part of the value, and still a new physical line.
        #expect(readCSV("\"x\r\ny\",z\r\nnext,1\r\n") == [.record(1, ["x\r\ny", "z"]), .record(3, ["next", "1"])])
    }

    @Test func loneCarriageReturnIsData() {
        #expect(readCSV("a\rb,c\n") == [.record(1, ["a\rb", "c"])])
    }

    @Test func byteOrderMarkIsSkipped() {
        #expect(readCSV("\u{FEFF}a,b\n1,2\n") == [.record(1, ["a", "b"]), .record(2, ["1", "2"])])
        #expect(readCSV("\u{FEFF}") == [])
        // Only at the very start: elsewhere it is data.
        #expect(readCSV("a\n\u{FEFF}b\n") == [.record(1, ["a"]), .record(2, ["\u{FEFF}b"])])
    }

    @Test func blankLinesAreSkippedButCounted() {
        #expect(readCSV("a\n\n\nb\n\r\nc\n") == [.record(1, ["a"]), .record(4, ["b"]), .record(6, ["c"])])
        #expect(readCSV("\n\n") == [])
        #expect(readCSV("") == [])
        // A line with a space is not blank.
        #expect(readCSV("a\n \nb\n") == [.record(1, ["a"]), .record(2, [" "]), .record(3, ["b"])])
    }

    @Test func lastLineWithoutNewline() {
        #expect(readCSV("a,b\n1,2") == [.record(1, ["a", "b"]), .record(2, ["1", "2"])])
        #expect(readCSV("a,\"q\"") == [.record(1, ["a", "q"])])
    }

    @Test func valuesAreNotTrimmed() {
        #expect(readCSV(" 1 , 2\n") == [.record(1, [" 1 ", " 2"])])
    }

    @Test func unterminatedQuoteReportsTheOpeningPositionAndSwallowsTheRest() {
        let (items, messages) = readCSV(Array("a,b\n1,\"oops\n2,3\n4,5\n".utf8))
        #expect(items == [.record(1, ["a", "b"]), .error(2, 3)])
        #expect(messages.count == 1)
        #expect(messages.first?.contains("never closed") == true)
    }

    @Test func unterminatedQuoteOnALaterLineOfARecord() {
        // The record starts on line 2; its second field opens at line 3, column 4: b(1) "(2) ,(3) "(4).
        #expect(readCSV("h\n\"a\nb\",\"xx\nyy") == [.record(1, ["h"]), .error(3, 4)])
    }

    @Test func strayQuoteInUnquotedFieldThenNextLine() {
        let (items, messages) = readCSV(Array("a,b\n1,x\"y\n2,3\n".utf8))
        #expect(items == [.record(1, ["a", "b"]), .error(2, 4), .record(3, ["2", "3"])])
        #expect(messages.first?.contains("quote inside an unquoted field") == true)
    }

    @Test func characterAfterClosingQuoteThenNextLine() {
        let (items, messages) = readCSV(Array("a,b\n\"x\"y,1\n2,3\n".utf8))
        #expect(items == [.record(1, ["a", "b"]), .error(2, 4), .record(3, ["2", "3"])])
        #expect(messages.first?.contains("after a closing quote") == true)
    }

    @Test func severalErrorsEachFollowedByGoodRecords() {
        let text = "h1,h2\nok,1\nb\"ad,2\nok,3\n\"c\"x,4\nok,5\n"
        #expect(readCSV(text) == [
            .record(1, ["h1", "h2"]), .record(2, ["ok", "1"]),
            .error(3, 2), .record(4, ["ok", "3"]),
            .error(5, 4), .record(6, ["ok", "5"]),
        ])
    }

    @Test func errorColumnsCountUnicodeScalars() {
        // "é" is two bytes but one column: é(1) ,(2) x(3) "(4).
        #expect(readCSV("é,x\"y\n") == [.error(1, 4)])
        // CJK: 张(1) 三(2) ,(3) a(4) "(5).
        #expect(readCSV("张三,a\"\n") == [.error(1, 5)])
    }

    @Test func endOfInputIsSticky() {
        var bytes = Array("a\n".utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            var reader = CSVReader(buffer: buffer)
            #expect((try? reader.next()) == true)
            #expect((try? reader.next()) == false)
            #expect((try? reader.next()) == false)
        }
    }

    @Test func fieldLocations() throws {
        // Line 2: 1(1) ,(2) "(3) Z(4) o(5) ë(6) ,(7) space(8) J(9) r(10) "(11) ,(12) 1(13) 2(14).
        var bytes = Array("id,name,amt\n1,\"Zoë, Jr\",12\n".utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            var reader = CSVReader(buffer: buffer)
            #expect((try? reader.next()) == true)
            #expect(reader.location(ofField: 2) == (1, 9))
            #expect((try? reader.next()) == true)
            #expect(reader.recordLine == 2)
            #expect(reader.string(1) == "Zoë, Jr")
            #expect(reader.location(ofField: 0) == (2, 1))
            #expect(reader.location(ofField: 2) == (2, 13))
            // A quoted field is located at its first character (docs/file-formats.md: rejects example 12:31).
            #expect(reader.location(ofField: 1) == (2, 4))
        }
    }

    @Test func fieldLocationAfterEmbeddedNewline() throws {
        // The record starts on line 2; its third field is on line 3: b(1) "(2) ,(3) z(4).
        var bytes = Array("h1,h2,h3\n1,\"a\nb\",zz\n".utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            var reader = CSVReader(buffer: buffer)
            #expect((try? reader.next()) == true)
            #expect((try? reader.next()) == true)
            #expect(reader.recordLine == 2)
            #expect(reader.location(ofField: 0) == (2, 1))
            #expect(reader.location(ofField: 2) == (3, 4))
        }
    }

    @Test func fieldLocationAfterByteOrderMark() throws {
        var bytes = Array("\u{FEFF}ab,cd\n".utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            var reader = CSVReader(buffer: buffer)
            #expect((try? reader.next()) == true)
            #expect(reader.location(ofField: 0) == (1, 1))
            #expect(reader.location(ofField: 1) == (1, 4))
        }
    }

    @Test func invalidUTF8FieldIsNil() throws {
        var bytes: [UInt8] = [0x61, 0x2C, 0xFF, 0x0A]
        bytes.withUnsafeMutableBufferPointer { buffer in
            var reader = CSVReader(buffer: buffer)
            #expect((try? reader.next()) == true)
            #expect(reader.string(0) == "a")
            #expect(reader.string(1) == nil)
            #expect(Array(reader.bytes(1)) == [0xFF])
        }
    }
}
