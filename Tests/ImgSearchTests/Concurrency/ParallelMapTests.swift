import Testing
@testable import ImgSearch

@Suite struct ParallelMapTests {
    @Test(arguments: [1, 2, 7])
    func keepsTheOrderAndVisitsEveryElementOnce(threads: Int) {
        let input = Array(0..<1_000)
        let output = input.parallelMap(threads: threads) { $0 * $0 }
        #expect(output == input.map { $0 * $0 })
    }

    @Test func handlesEmptyAndSingleInputs() {
        #expect([Int]().parallelMap(threads: 4) { $0 } == [])
        #expect([5].parallelMap(threads: 4) { $0 + 1 } == [6])
    }
}
