#ifndef CIMGSEARCHWEBP_H
#define CIMGSEARCHWEBP_H

// WebP decoding through libwebp and libwebpdemux (animated files: the first
// frame, through WebPAnimDecoder). libwebp reports errors by return codes, so
// this target exists to keep libwebp's types out of Swift and to hold the
// alpha compositing; Swift sees plain integers and byte pointers.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__has_attribute)
#if __has_attribute(enum_extensibility)
#define IMGSEARCH_WEBP_CLOSED_ENUM __attribute__((enum_extensibility(closed)))
#endif
#endif
#ifndef IMGSEARCH_WEBP_CLOSED_ENUM
#define IMGSEARCH_WEBP_CLOSED_ENUM
#endif

/// The outcome of `imgsearch_webp_decode`.
typedef enum IMGSEARCH_WEBP_CLOSED_ENUM imgsearch_webp_status {
    /// Success; the pixels belong to the caller (`imgsearch_webp_free`).
    IMGSEARCH_WEBP_OK = 0,
    /// libwebp refused the file (damaged, truncated, not WebP); the message
    /// buffer holds the reason.
    IMGSEARCH_WEBP_CORRUPT = 1,
    /// The header declares more pixels than the caller's limit; width and
    /// height are filled in and nothing was allocated.
    IMGSEARCH_WEBP_TOO_LARGE = 2,
    /// Memory for the pixels could not be had.
    IMGSEARCH_WEBP_OUT_OF_MEMORY = 3,
    /// A WebP feature this libwebp does not decode; the message says which.
    IMGSEARCH_WEBP_UNSUPPORTED = 4,
} imgsearch_webp_status;

/// 8-bit RGB, interleaved, `width * 3` bytes a row, no padding.
typedef struct imgsearch_webp_image {
    uint8_t *pixels;
    uint32_t width;
    uint32_t height;
    /// Whether the file is animated (the pixels are its first frame).
    int animated;
} imgsearch_webp_image;

/// Decodes the WebP file `data[0 ..< size]` (lossy, lossless, with alpha,
/// extended or animated: the first frame on the animation's canvas) to 8-bit
/// RGB, blending transparent pixels over the background colour as the PNG
/// decoder does. The canvas size from the header is checked against
/// `maximum_pixel_count` before anything is allocated. Nothing is printed.
imgsearch_webp_status imgsearch_webp_decode(
    const uint8_t *data, size_t size,
    uint64_t maximum_pixel_count,
    uint8_t background_red, uint8_t background_green, uint8_t background_blue,
    imgsearch_webp_image *image,
    char *message, size_t message_capacity);

/// Releases the pixels of a decoded image. NULL is ignored.
void imgsearch_webp_free(void *buffer);

#ifdef __cplusplus
}
#endif

#endif
