import Foundation
import Testing

/// `dunning report` from the binary, and its HTML opened in a real headless browser (Debian's
/// chromium, installed by scripts/install-deps.sh) with every host name unresolvable: the page
/// must render its tables and charts from the file alone.
@Suite struct ReportCommandTests {
    static let env = URL(fileURLWithPath: "/usr/bin/env")

    @Test func theHTMLReportRendersOfflineInAHeadlessBrowser() throws {
        let work = BinaryRunner.temporaryDirectory()
        try BinaryRunner.initStore(work + "/s.sqlite")
        let nights = try FileManager.default.contentsOfDirectory(atPath: BinaryRunner.root.path + "/fixtures/allocation/nights").sorted()
        for day in nights {
            let run = try BinaryRunner.run(["run", "--allow-any-date", "--as-of", day, "--strategy", "fixtures/allocation/strategy.yaml",
                                            "--input", "fixtures/allocation/nights/\(day)", "--db", work + "/s.sqlite", "--out", work + "/o\(day)"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let html = work + "/report.html"
        let report = try BinaryRunner.run(["report", "--db", work + "/s.sqlite", "--html", html])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout == (try String(contentsOfFile: BinaryRunner.root.path + "/fixtures/allocation/report/report.txt", encoding: .utf8)))
        #expect(try String(contentsOfFile: html, encoding: .utf8) == (try String(contentsOfFile: BinaryRunner.root.path + "/fixtures/allocation/report/report.html", encoding: .utf8)))
        let mode = (try FileManager.default.attributesOfItem(atPath: html)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)

        let browser = ["timeout", "120", "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                       "--user-data-dir=\(work)/profile", "--host-resolver-rules=MAP * ~NOTFOUND"]
        let dom = try BinaryRunner.run(browser + ["--dump-dom", "file://\(html)"], executable: Self.env)
        #expect(dom.status == 0, "chromium failed: \(dom.stderr.suffix(500))")
        func count(_ needle: String) -> Int { dom.stdout.components(separatedBy: needle).count - 1 }
        for id in ["roll-table", "outcome-table", "contacts-table", "held-table", "workload-table", "cure-chart", "contacts-chart", "workload-chart"] {
            #expect(count("id=\"\(id)\"") == 1, "\(id)")
        }
        #expect(count("<rect class=\"bar\"") == 5)                   // one per segment of the cohort
        #expect(count("<polyline class=\"series\"") == 4 + 4)        // sms, ivr, call, letter; four member groups
        #expect(dom.stdout.contains("<title>dunning report 2026-04-01 to 2026-04-06</title>"))

        let png = work + "/report.png"
        let shot = try BinaryRunner.run(browser + ["--hide-scrollbars", "--window-size=1200,1600", "--screenshot=\(png)", "file://\(html)"],
                                        executable: Self.env)
        #expect(shot.status == 0, "\(shot.stderr.suffix(500))")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(bytes.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(bytes.count > 20_000)   // a page with content, not a blank one
    }

    @Test func badWindowsAreUsageErrors() throws {
        let reversed = try BinaryRunner.run(["report", "--from", "2026-04-05", "--to", "2026-04-01"])
        #expect(reversed.status == 64)
        #expect(reversed.stderr.contains("--to 2026-04-01 is before --from 2026-04-05"))
        let missing = try BinaryRunner.run(["report", "--db", "/nonexistent/s.sqlite"])
        #expect(missing.status == 66)
    }
}
