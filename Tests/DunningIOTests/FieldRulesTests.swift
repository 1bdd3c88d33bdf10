import DunningCore
import Testing
@testable import DunningIO

/// Single fields as every loader checks them: identifiers compare by their bytes (NFC only) and
/// never start a spreadsheet formula; dates stay in a span no day count can overflow.
@Suite struct FieldRulesTests {
    func identifier(_ text: String) -> Result<String, FieldProblem> {
        Array(text.utf8).withUnsafeBufferPointer { FieldRules.identifier($0, column: "customer_id") }
    }

    func problem(_ text: String) -> String? {
        if case .failure(let p) = identifier(text) { return p.message }
        return nil
    }

    /// Swift's `==` treats canonically equivalent strings as equal; before this rule a loan of
    /// `\u{212A}001` (KELVIN SIGN) landed on customer `K001`.
    @Test(arguments: ["Jose\u{301}", "\u{212A}001", "\u{2126}hm", "A\u{30A}ngstrom", "\u{1100}\u{1161}"])
    func anIdentifierNotInNFCIsRefused(id: String) {
        #expect(problem(id)?.contains("is not in Unicode NFC") == true, "\(id)")
    }

    @Test(arguments: ["Jos\u{E9}", "K001", "客户-001", "\u{AC00}", "C-1", "a=b", "x@y"])
    func nfcAndAsciiIdentifiersPass(id: String) {
        #expect(problem(id) == nil, "\(id): \(problem(id) ?? "")")
    }

    @Test(arguments: ["=1+1", "+86138", "-2", "@SUM(A1)", "=HYPERLINK(\"http://x\")"])
    func anIdentifierThatStartsAFormulaIsRefused(id: String) {
        #expect(problem(id)?.contains("which a spreadsheet would run as a formula") == true, "\(id)")
    }

    @Test(arguments: ["\tC1", "\rC1", "C\u{7F}"])
    func controlCharactersAreRefused(id: String) {
        #expect(problem(id)?.contains("control characters") == true)
    }

    @Test(arguments: [("1899-12-31", false), ("1900-01-01", true), ("2299-12-31", true), ("2300-01-01", false), ("0001-01-01", false), ("9999-12-31", false)])
    func datesOutsideFourCenturiesAreRefused(text: String, accepted: Bool) {
        let result = Array(text.utf8).withUnsafeBufferPointer { FieldRules.day($0, column: "due_date") }
        switch result {
        case .success: #expect(accepted, "\(text)")
        case .failure(let p): #expect(!accepted && p.message.contains("is outside 1900-01-01 to 2299-12-31"), "\(text): \(p.message)")
        }
    }

    @Test(arguments: [("=x", true), ("+x", true), ("@x", true), ("\tx", true), ("\rx", true), ("-x", true), ("--1", true),
                      ("-", true), ("-1-1", true), ("-2", false), ("-39.29", false), ("-1.2.3", true), ("x=1", false), ("", false), ("'=x", false)])
    func formulaLikeFieldsAreRecognised(field: String, formula: Bool) {
        #expect(CSVWriter.startsFormula(field.utf8) == formula, "\(field)")
    }

    @Test func spreadsheetSafeOutputWritesFormulasAsText() {
        var safe = CSVWriter(header: ["a", "b", "c"], spreadsheetSafe: true)
        safe.append(["=HYPERLINK(\"x\")", "-12.50", "@me"])
        #expect(String(decoding: safe.bytes, as: UTF8.self) == "a,b,c\n\"'=HYPERLINK(\"\"x\"\")\",-12.50,'@me\n")
        var plain = CSVWriter(header: ["a"])
        plain.append(["=x"])
        #expect(String(decoding: plain.bytes, as: UTF8.self) == "a\n=x\n")
    }
}
