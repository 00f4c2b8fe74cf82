#ifndef CIMGSEARCHPNG_H
#define CIMGSEARCHPNG_H

// libpng reports errors by longjmp, which must never cross a Swift frame, so
// every libpng call lives in CImgSearchPNG.c behind one function per
// operation. This header deliberately names no libpng type: png.h stays in
// the .c file and Swift sees only plain integers and byte pointers.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Closed, so Swift imports the status as an enum and a `switch` over it is
// checked for exhaustiveness. Clang (which Swift uses) knows the attribute;
// other compilers build the library without it.
#if defined(__has_attribute)
#if __has_attribute(enum_extensibility)
#define IMGSEARCH_PNG_CLOSED_ENUM __attribute__((enum_extensibility(closed)))
#endif
#endif
#ifndef IMGSEARCH_PNG_CLOSED_ENUM
#define IMGSEARCH_PNG_CLOSED_ENUM
#endif

/// The outcome of `imgsearch_png_decode` and `imgsearch_png_encode`.
typedef enum IMGSEARCH_PNG_CLOSED_ENUM imgsearch_png_status {
    /// Success; the output buffer belongs to the caller, who releases it
    /// with `imgsearch_png_free`.
    IMGSEARCH_PNG_OK = 0,
    /// libpng reported an error (when decoding: the file is damaged or not a
    /// PNG at all). The caller's message buffer holds libpng's text.
    IMGSEARCH_PNG_LIBPNG_ERROR = 1,
    /// Decoding only: the header declares more pixels than the caller's
    /// limit. The width and height are filled in; nothing was allocated.
    IMGSEARCH_PNG_TOO_LARGE = 2,
    /// Allocating the output buffer failed.
    IMGSEARCH_PNG_OUT_OF_MEMORY = 3,
} imgsearch_png_status;

/// A decoded picture: 8-bit RGB, interleaved, rows of `width * 3` bytes with
/// no padding, `height` rows.
typedef struct imgsearch_png_image {
    /// `width * height * 3` bytes, owned by the caller after a successful
    /// decode and released with `imgsearch_png_free`; NULL otherwise.
    uint8_t *pixels;
    uint32_t width;
    uint32_t height;
} imgsearch_png_image;

/// Decodes the PNG file held in `data[0 ..< size]` to 8-bit RGB.
///
/// Every PNG variant (palette, grey of 1 to 16 bits, grey + alpha, RGB, RGBA,
/// 16-bit, interlaced, tRNS) comes out as 8-bit RGB. Transparent pixels are
/// blended over the background colour (`background_red`, `_green`, `_blue`)
/// in plain 8-bit values; the gAMA chunk is ignored. 16-bit samples are
/// rounded to 8 bits.
///
/// Images with more than `maximum_pixel_count` pixels are refused with
/// IMGSEARCH_PNG_TOO_LARGE before the pixel buffer is allocated; `image`
/// then holds the declared width and height.
///
/// On IMGSEARCH_PNG_LIBPNG_ERROR, `message` (of `message_capacity` bytes,
/// at least 1) holds libpng's message, NUL-terminated. Nothing is ever
/// printed and the process never exits.
imgsearch_png_status imgsearch_png_decode(
    const uint8_t *data, size_t size,
    uint64_t maximum_pixel_count,
    uint8_t background_red, uint8_t background_green, uint8_t background_blue,
    imgsearch_png_image *image,
    char *message, size_t message_capacity);

/// Encodes an 8-bit RGB image (`height` rows of `width * 3` interleaved
/// bytes, no padding) as a PNG file in memory.
///
/// On IMGSEARCH_PNG_OK, `*png_bytes` points to `*png_size` bytes that the
/// caller releases with `imgsearch_png_free`. On any other status
/// `*png_bytes` is NULL and, for IMGSEARCH_PNG_LIBPNG_ERROR, `message` holds
/// libpng's text (for instance a side over PNG's limit of 2^31 - 1).
imgsearch_png_status imgsearch_png_encode(
    const uint8_t *pixels, uint32_t width, uint32_t height,
    uint8_t **png_bytes, size_t *png_size,
    char *message, size_t message_capacity);

/// Releases a buffer returned by `imgsearch_png_decode` (the image's pixels)
/// or `imgsearch_png_encode` (the PNG bytes). NULL is allowed and ignored.
void imgsearch_png_free(void *buffer);

#ifdef __cplusplus
}
#endif

#endif
