import DunningCore
import DunningEngine
import DunningStore
import Foundation
import Testing

/// A store made by engine 0.4.0 (schema v8) is migrated forward by the next committing run and
/// carries on as if today's engine had made it.
@Suite struct StoreMigrationTests {
    static let fixture = TestSupport.fixture("stores/v8-lifecycle-0.4.0.sqlite")

    @Test func aStoreMadeByEngine040CarriesOnExactly() throws {
        let work = TestSupport.temporaryDirectory()
        let store = work + "/store.sqlite"
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: store)
        let (day, input) = try #require(TestSupport.nights("lifecycle").last)
        try TestSupport.run(day, input: input, store: store, out: work + "/out")
        for name in GoldenTests.files {
            #expect(TestSupport.read(work + "/out/" + name) == TestSupport.read(TestSupport.fixture("lifecycle/expected/\(day)/" + name)), "\(name)")
        }
        #expect(TestSupport.stableSummary(work + "/out/summary.json") == TestSupport.read(TestSupport.fixture("lifecycle/expected/\(day)/summary.json")))
        let migrated = try #require(try StateStore.openReadOnly(path: store))
        let info = try migrated.info()
        #expect(info.createdBy == "an engine before 0.5.0")
        #expect(info.adoptBefore == nil)
        #expect(info.createdAt.hasPrefix("2026-"), "the first commit's time: \(info.createdAt)")
        #expect(try migrated.scalar("SELECT count(*) FROM milestones WHERE adopted = 1") == 0)
        #expect(try migrated.scalar("SELECT count(*) FROM runs WHERE engine_version = '0.4.0'") == 5)
        #expect(try migrated.scalar("SELECT count(*) FROM runs WHERE accepted_missing IS NOT NULL") == 0)
    }
}
