#ifndef CIMGSEARCHHEIF_H
#define CIMGSEARCHHEIF_H

// HEIF decoding (HEIC with HEVC through libde265, AVIF with AV1 through
// dav1d or libaom) through libheif. libheif reports errors as returned
// structs and never prints; this target keeps its types out of Swift and
// holds the alpha compositing.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__has_attribute)
#if __has_attribute(enum_extensibility)
#define IMGSEARCH_HEIF_CLOSED_ENUM __attribute__((enum_extensibility(closed)))
#endif
#endif
#ifndef IMGSEARCH_HEIF_CLOSED_ENUM
#define IMGSEARCH_HEIF_CLOSED_ENUM
#endif

/// The outcome of `imgsearch_heif_decode`.
typedef enum IMGSEARCH_HEIF_CLOSED_ENUM imgsearch_heif_status {
    /// Success; the pixels belong to the caller (`imgsearch_heif_free`).
    IMGSEARCH_HEIF_OK = 0,
    /// libheif refused the file (damaged, truncated); the message buffer
    /// holds libheif's reason.
    IMGSEARCH_HEIF_CORRUPT = 1,
    /// The primary image declares more pixels than the caller's limit;
    /// width and height are filled in and nothing was decoded.
    IMGSEARCH_HEIF_TOO_LARGE = 2,
    /// Memory for the pixels could not be had.
    IMGSEARCH_HEIF_OUT_OF_MEMORY = 3,
    /// A codec or feature this libheif does not decode; the message says which.
    IMGSEARCH_HEIF_UNSUPPORTED = 4,
} imgsearch_heif_status;

/// 8-bit RGB, interleaved, `width * 3` bytes a row, no padding, upright.
typedef struct imgsearch_heif_image {
    uint8_t *pixels;
    /// The pixels' size (the thumbnail's when one was used).
    uint32_t width;
    uint32_t height;
    /// The primary image's size after its transformations.
    uint32_t source_width;
    uint32_t source_height;
    /// Whether the pixels come from the file's embedded thumbnail rather
    /// than the primary image.
    int from_thumbnail;
} imgsearch_heif_image;

/// Decodes the primary image of the HEIF file `data[0 ..< size]` (HEIC or
/// AVIF) to 8-bit RGB with its transformations (irot, imir, clap) applied,
/// blending alpha over the background as the PNG decoder does. When
/// `minimum_side` is positive and the primary image has a thumbnail whose
/// sides are both at least `minimum_side`, the thumbnail is decoded instead
/// (phones store a 320-pixel one beside a 12 MP picture). The primary
/// image's size, after transformations, is checked against
/// `maximum_pixel_count` before anything is decoded. Nothing is printed.
imgsearch_heif_status imgsearch_heif_decode(
    const uint8_t *data, size_t size,
    uint64_t maximum_pixel_count, int minimum_side,
    uint8_t background_red, uint8_t background_green, uint8_t background_blue,
    imgsearch_heif_image *image,
    char *message, size_t message_capacity);

/// Releases the pixels of a decoded image. NULL is ignored.
void imgsearch_heif_free(void *buffer);

#ifdef __cplusplus
}
#endif

#endif
