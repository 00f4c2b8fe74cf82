#ifndef CIMGSEARCHTIFF_H
#define CIMGSEARCHTIFF_H

// TIFF decoding through libtiff's RGBA interface (TIFFRGBAImage), which
// covers strips and tiles, 1 to 16 bits, palette, grey, RGB, CMYK, YCbCr,
// CIE L*a*b* and every codec the Debian build has (LZW, Deflate, PackBits,
// JPEG, CCITT G3/G4, LZMA, WebP, ZSTD). libtiff reports errors through
// handlers that print by default: this target installs per-file handlers
// that keep the first error in the caller's buffer and print nothing.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__has_attribute)
#if __has_attribute(enum_extensibility)
#define IMGSEARCH_TIFF_CLOSED_ENUM __attribute__((enum_extensibility(closed)))
#endif
#endif
#ifndef IMGSEARCH_TIFF_CLOSED_ENUM
#define IMGSEARCH_TIFF_CLOSED_ENUM
#endif

/// The outcome of `imgsearch_tiff_decode`.
typedef enum IMGSEARCH_TIFF_CLOSED_ENUM imgsearch_tiff_status {
    /// Success; the pixels belong to the caller (`imgsearch_tiff_free`).
    IMGSEARCH_TIFF_OK = 0,
    /// libtiff reported an error (damaged, truncated, not TIFF); the
    /// message buffer holds libtiff's text.
    IMGSEARCH_TIFF_CORRUPT = 1,
    /// The first page declares more pixels than the caller's limit; width
    /// and height are filled in and nothing was allocated for the pixels.
    IMGSEARCH_TIFF_TOO_LARGE = 2,
    /// Memory for the pixels could not be had.
    IMGSEARCH_TIFF_OUT_OF_MEMORY = 3,
    /// A combination libtiff's RGBA interface does not convert (for example
    /// 32-bit float samples or an unknown photometric interpretation); the
    /// message holds libtiff's reason.
    IMGSEARCH_TIFF_UNSUPPORTED = 4,
} imgsearch_tiff_status;

/// 8-bit RGB, interleaved, `width * 3` bytes a row, no padding, rows in
/// the order they are stored (the orientation is not applied).
typedef struct imgsearch_tiff_image {
    uint8_t *pixels;
    uint32_t width;
    uint32_t height;
    /// The TIFF Orientation tag (274) of the page, 1 to 8 (1 when absent),
    /// for the caller to apply as it applies a JPEG's EXIF orientation.
    uint16_t orientation;
} imgsearch_tiff_image;

/// Decodes the first page of the TIFF (or BigTIFF) file `data[0 ..< size]`
/// to 8-bit RGB, blending transparent pixels over the background colour as
/// the PNG decoder does. The page's size is checked against
/// `maximum_pixel_count` before the pixel buffer is allocated, and libtiff's
/// own allocations are capped from it too. Nothing is printed.
imgsearch_tiff_status imgsearch_tiff_decode(
    const uint8_t *data, size_t size,
    uint64_t maximum_pixel_count,
    uint8_t background_red, uint8_t background_green, uint8_t background_blue,
    imgsearch_tiff_image *image,
    char *message, size_t message_capacity);

/// Releases the pixels of a decoded image. NULL is ignored.
void imgsearch_tiff_free(void *buffer);

#ifdef __cplusplus
}
#endif

#endif
