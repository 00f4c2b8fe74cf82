// The layers below the facade, re-exported: a tool that embeds imgsearch
// writes `import ImgSearch` and sees the whole public API, as before the
// library was split into targets.
@_exported import ImgSearchCore
@_exported import ImgSearchImaging
@_exported import ImgSearchLinearAlgebra
@_exported import ImgSearchHashing
@_exported import ImgSearchLearning
