import Testing
@testable import ImgSearch

@Suite struct IndexPlanTests {
    static func file(_ path: String, size: Int64 = 10, time: Int64 = 1) -> FoundFile {
        FoundFile(path: path, size: size, modificationTime: time)
    }

    static func state(_ id: Int64, size: Int64 = 10, time: Int64 = 1, hash: UInt64 = 0) -> StoredFileState {
        StoredFileState(id: id, size: size, modificationTime: time, contentHash: hash)
    }

    @Test func sortsFilesByWhatMustBeDone() {
        let stored = [
            "/a/same.jpg": Self.state(1),
            "/a/grown.jpg": Self.state(2),
            "/a/touched.jpg": Self.state(3),
            "/a/gone.jpg": Self.state(4, hash: 44),
            "/b/elsewhere.jpg": Self.state(5),
        ]
        let found = [
            Self.file("/a/same.jpg"),
            Self.file("/a/grown.jpg", size: 11),
            Self.file("/a/touched.jpg", time: 2),
            Self.file("/a/new.jpg"),
            Self.file("/a/new.jpg"),  // found twice through two roots
        ]
        var plan = IndexPlan(found: found, stored: stored, roots: ["/a"])
        #expect(plan.unchanged.map(\.path) == ["/a/same.jpg"])
        #expect(plan.candidates.map(\.file.path) == ["/a/grown.jpg", "/a/touched.jpg", "/a/new.jpg"])
        #expect(plan.candidates.map { $0.stored?.id } == [2, 3, nil])
        // Only /a is being indexed: /b's file is not "vanished".
        #expect(Array(plan.vanished.keys) == ["/a/gone.jpg"])

        #expect(plan.claimMovedFile(size: 10, contentHash: 45) == nil)
        #expect(plan.claimMovedFile(size: 11, contentHash: 44) == nil)
        let moved = plan.claimMovedFile(size: 10, contentHash: 44)
        #expect(moved?.path == "/a/gone.jpg" && moved?.state.id == 4)
        #expect(plan.vanished.isEmpty)
        #expect(plan.claimMovedFile(size: 10, contentHash: 44) == nil)  // claimed once
    }

    @Test func aRootIsAPathPrefixOnlyAtAFolderBoundary() {
        let stored = ["/photos/x.jpg": Self.state(1), "/photos-old/y.jpg": Self.state(2), "/single.jpg": Self.state(3)]
        let plan = IndexPlan(found: [], stored: stored, roots: ["/photos/", "/single.jpg"])
        #expect(Set(plan.vanished.keys) == ["/photos/x.jpg", "/single.jpg"])
    }
}
