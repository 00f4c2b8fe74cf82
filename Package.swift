// swift-tools-version: 6.0
import PackageDescription

// Native libraries come from the system (Debian: libjpeg-dev, libpng-dev,
// libwebp-dev, libgif-dev, libtiff-dev, libheif-dev, libopenblas-dev, libsqlite3-dev,
// zlib1g-dev; `scripts/setup.sh` installs them). No unsafeFlags and no absolute paths, so the package stays usable as a
// dependency.
let package = Package(
    name: "imgsearch",
    products: [
        .library(name: "ImgSearch", targets: ["ImgSearch"]),
        .library(name: "ImgSearchServer", targets: ["ImgSearchServer"]),
        .executable(name: "imgsearch", targets: ["imgsearch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `imgsearch serve` only (the ImgSearchServer target): HTTP, logs,
        // signals and graceful shutdown, multipart uploads.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.0"),
    ],
    targets: [
        // The layers, each a target so that the compiler keeps every arrow
        // pointing down (docs/architecture.md):
        //
        //   ImgSearchServer      `imgsearch serve`: HTTP API and web page (a product of its own)
        //   ImgSearch            storage, indexing, search, evaluation, watching, the facade
        //   ImgSearchLearning    RBM, autoencoder, thumbnail features, model file
        //   ImgSearchHashing     binarizer, LSH/ITQ, the Hamming indexes and kernels
        //   ImgSearchLinearAlgebra  Matrix over BLAS, SVD, PCA
        //   ImgSearchImaging     decoders, orientation, thumbnails, folder walking
        //   ImgSearchCore        codes, progress, failures, seeded randomness, threads
        //
        // Beside them, not in the product: ImgSearchBenchIndexes (index kinds
        // only the benchmarks use), ImgSearchTestFixtures and CImgSearchTestEncoders.
        //
        // `ImgSearch` re-exports the layers below it, so a tool that embeds the
        // library writes `import ImgSearch` alone.
        .target(name: "ImgSearchCore"),
        .target(
            name: "ImgSearchImaging",
            dependencies: ["ImgSearchCore", "CImgSearchJPEG", "CImgSearchPNG", "CImgSearchWebP", "CImgSearchGIF", "CImgSearchTIFF", "CImgSearchHEIF"]
        ),
        .target(
            name: "ImgSearchLinearAlgebra",
            dependencies: ["ImgSearchCore", "CImgSearchBLAS", "CImgSearchDense"]
        ),
        // Row-independent dense products for encoding (a picture's code must
        // not depend on its batch): AVX2 or portable, chosen at run time.
        .target(name: "CImgSearchDense"),
        .target(
            name: "ImgSearchHashing",
            dependencies: ["ImgSearchCore", "ImgSearchLinearAlgebra", "CImgSearchHamming"]
        ),
        .target(
            name: "ImgSearchLearning",
            dependencies: ["ImgSearchCore", "ImgSearchImaging", "ImgSearchLinearAlgebra", "ImgSearchHashing", "CImgSearchZlib"]
        ),
        .target(
            name: "ImgSearch",
            dependencies: ["ImgSearchCore", "ImgSearchImaging", "ImgSearchLinearAlgebra", "ImgSearchHashing", "ImgSearchLearning", "CImgSearchSQLite", "CImgSearchHamming"]
        ),
        // setjmp-safe libjpeg calls: libjpeg reports fatal errors by longjmp,
        // which Swift cannot host, so the whole decode runs in C.
        .target(
            name: "CImgSearchJPEG",
            linkerSettings: [.linkedLibrary("jpeg")]
        ),
        // C, not Swift: libpng reports errors by longjmp, which must never cross a Swift frame.
        .target(
            name: "CImgSearchPNG",
            linkerSettings: [.linkedLibrary("png16")]
        ),
        // libwebp and libwebpdemux (animated files: WebPAnimDecoder) report
        // errors by return codes; C only to keep their types out of Swift and
        // to composite alpha.
        .target(
            name: "CImgSearchWebP",
            linkerSettings: [.linkedLibrary("webpdemux"), .linkedLibrary("webp")]
        ),
        // giflib reports errors by return codes; C reads the first frame
        // record by record (DGifSlurp would decode every frame).
        .target(
            name: "CImgSearchGIF",
            linkerSettings: [.linkedLibrary("gif")]
        ),
        // libtiff prints errors through handlers unless they are replaced;
        // the C target installs per-file handlers that only keep the text.
        .target(
            name: "CImgSearchTIFF",
            linkerSettings: [.linkedLibrary("tiff")]
        ),
        // libheif (HEIC through libde265, AVIF through dav1d/libaom) returns
        // errors as structs; C keeps its types out of Swift.
        .target(
            name: "CImgSearchHEIF",
            linkerSettings: [.linkedLibrary("heif")]
        ),
        .systemLibrary(
            name: "CImgSearchBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // gzip reading for the MNIST idx files and CRC-32 for model files.
        .systemLibrary(
            name: "CImgSearchZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CImgSearchSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // Hamming-distance kernels in C: the vectorized scan, chosen at run time
        // by CPU feature detection (per-function target attributes, no flags).
        .target(name: "CImgSearchHamming"),
        // `imgsearch serve`: the JSON API, the web page and the folder
        // watcher over one ImageIndex (docs/api.md). Above the library, which
        // knows nothing of HTTP.
        .target(
            name: "ImgSearchServer",
            dependencies: [
                "ImgSearch",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ]
        ),
        // The command-line tool: argument parsing and printing only.
        .executableTarget(
            name: "imgsearch",
            dependencies: [
                "ImgSearch",
                "ImgSearchServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Index kinds that no product path uses, kept for the benchmarks that
        // compare them with the product's (docs/hamming.md); not a product.
        .target(
            name: "ImgSearchBenchIndexes",
            dependencies: ["ImgSearchHashing"]
        ),
        // Benchmarks compared side by side with ../shared/bench; not a product.
        .executableTarget(
            name: "imgsearch-bench",
            dependencies: [
                "ImgSearch",
                "ImgSearchBenchIndexes",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Pictures drawn at test time, for the suites that need images but not
        // real photographs: they run without ../shared. Not a product.
        .target(
            name: "ImgSearchTestFixtures",
            dependencies: ["ImgSearchCore", "ImgSearchImaging", "CImgSearchTestEncoders"],
            path: "Tests/ImgSearchTestFixtures"
        ),
        // WebP, GIF, TIFF, HEIC and AVIF writers over the same system libraries, for the
        // fixtures of the decoders' tests. Not a product.
        .target(
            name: "CImgSearchTestEncoders",
            path: "Tests/CImgSearchTestEncoders",
            linkerSettings: [.linkedLibrary("webp"), .linkedLibrary("gif"), .linkedLibrary("tiff"), .linkedLibrary("heif")]
        ),
        .testTarget(
            name: "ImgSearchTests",
            // zlib: the decompression-bomb test deflates its own 20000 x 20000 PNG.
            dependencies: ["ImgSearch", "ImgSearchCore", "ImgSearchImaging", "ImgSearchLinearAlgebra", "ImgSearchHashing", "ImgSearchLearning", "CImgSearchZlib", "CImgSearchDense", "ImgSearchTestFixtures", "ImgSearchBenchIndexes"]
        ),
        // The library as another tool uses it: public API only.
        .testTarget(
            name: "ImgSearchAPITests",
            dependencies: ["ImgSearch", "ImgSearchTestFixtures"]
        ),
        // The server on a live loopback port (HummingbirdTesting's client).
        .testTarget(
            name: "ImgSearchServerTests",
            dependencies: [
                "ImgSearchServer", "ImgSearch", "ImgSearchTestFixtures",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // End-to-end tests that run the built `imgsearch` binary.
        .testTarget(
            name: "ImgSearchCLITests",
            dependencies: ["ImgSearch", "imgsearch", "ImgSearchTestFixtures"]
        ),
    ]
)
