import Foundation
import Testing
@testable import ImgSearch

/// The idx reader on the real MNIST files, and PCA on data with a known answer.
@Suite struct MNISTTests {
    @Test(.enabled(if: SharedData.isAvailable, SharedData.skipMessage))
    func readsTheTestImagesAndLabels() throws {
        let folder = SharedData.url("mnist")
        let images = try MNIST.readImages(at: folder.appendingPathComponent(MNIST.testImages).path)
        #expect(images.rows == 10000 && images.columns == 784)
        #expect(images.elements.allSatisfy { (0...1).contains($0) })
        #expect(images.elements.contains(1) && images.elements.contains(0))
        let labels = try MNIST.readLabels(at: folder.appendingPathComponent(MNIST.testLabels).path)
        #expect(labels.count == 10000 && labels.allSatisfy { $0 < 10 })
        // The well-known first test digits: 7, 2, 1, 0, 4.
        #expect(Array(labels.prefix(5)) == [7, 2, 1, 0, 4])
        let firstTraining = try MNIST.readLabels(at: folder.appendingPathComponent(MNIST.trainingLabels).path, limit: 3)
        #expect(firstTraining == [5, 0, 4])
        let subset = try MNIST.readImages(at: folder.appendingPathComponent(MNIST.testImages).path, limit: 3)
        #expect(subset == images.rows(0..<3))
    }

    @Test func wrongOrDamagedFilesAreReported() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imgsearch-idx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let labels = folder.appendingPathComponent("labels")
        try Data([0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3]).write(to: labels)
        #expect(try MNIST.readLabels(at: labels.path) == [1, 2, 3])
        do {
            _ = try MNIST.readImages(at: labels.path)
            Issue.record("a labels file was read as images")
        } catch let error as IDXFileError {
            #expect(error.description.contains("bad magic number"))
        }
        let short = folder.appendingPathComponent("short")
        try Data([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3]).write(to: short)
        #expect(throws: IDXFileError.self) { try MNIST.readImages(at: short.path) }
        #expect(throws: IDXFileError.self) { try MNIST.readImages(at: folder.appendingPathComponent("absent").path) }
    }

    @Test func pcaRecoversALowRankSubspace() throws {
        var generator = SplitMix64(seed: 3)
        // 500 points on a 3-dimensional subspace of 10 dimensions, plus an offset.
        let basis = Matrix.gaussian(rows: 3, columns: 10, scale: 1, generator: &generator)
        var data = Matrix.gaussian(rows: 500, columns: 3, scale: 2, generator: &generator) * basis
        data.addToEachRow((0..<10).map { Float($0) })
        let pca = try PCA(fitting: data, componentCount: 3)
        let error = pca.reconstruct(data).squaredDistance(to: data) / Double(data.count)
        #expect(error < 1e-6, "reconstruction error \(error) of rank-3 data by 3 components")
        let gram = Matrix.product(pca.components, pca.components, transposeB: true)
        for i in 0..<3 { for j in 0..<3 { #expect(abs(gram[i, j] - (i == j ? 1 : 0)) < 1e-4) } }
        #expect(pca.variances[0] >= pca.variances[1] && pca.variances[1] >= pca.variances[2])
        let fewer = try PCA(fitting: data, componentCount: 2)
        #expect(fewer.reconstruct(data).squaredDistance(to: data) > 1)
    }
}
