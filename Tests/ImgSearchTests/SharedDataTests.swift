import Testing

@Suite struct SharedDataTests {
    @Test(.enabled(if: SharedData.isAvailable, SharedData.skipMessage))
    func findsTheConformanceFolders() {
        #expect(!SharedData.files(in: "pngsuite", extensions: ["png"]).isEmpty)
        #expect(!SharedData.filesRecursively(in: "jpeg-suite", extensions: ["jpg"]).isEmpty)
    }
}
