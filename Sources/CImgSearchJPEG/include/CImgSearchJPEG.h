#ifndef CIMGSEARCH_JPEG_H
#define CIMGSEARCH_JPEG_H

// setjmp-safe JPEG decoding (and encoding) over libjpeg(-turbo).
//
// libjpeg reports fatal errors by calling error_exit, which must longjmp back
// into a setjmp frame; Swift cannot host setjmp, so each operation runs
// entirely in C and returns a status code with libjpeg's message. Nothing is
// printed and the process never exits. Only <stddef.h>/<stdint.h> appear
// here, so no libjpeg type leaks into Swift.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Outcome of imgsearch_jpeg_decode.
typedef enum {
    IMGSEARCH_JPEG_OK = 0,
    /// libjpeg found damaged data (a fatal error, or a data warning such as
    /// "Premature end of JPEG file" while warnings are errors).
    IMGSEARCH_JPEG_CORRUPT = 1,
    /// A valid file this libjpeg cannot decode: 12-bit, lossless, an
    /// unknown colour space.
    IMGSEARCH_JPEG_UNSUPPORTED = 2,
    /// The header declares more pixels than options->max_pixels; nothing was
    /// allocated for the image.
    IMGSEARCH_JPEG_TOO_LARGE = 3,
    IMGSEARCH_JPEG_OUT_OF_MEMORY = 4,
} ImgSearchJPEGStatus;

/// What the caller asks of a decode.
typedef struct {
    /// Refuse images whose header declares more pixels than this.
    uint64_t max_pixels;
    /// Scale in the DCT domain to the smallest M/8 that keeps both sides at
    /// least this long; 0 decodes at full size.
    int32_t min_side;
    /// Non-zero: libjpeg's data warnings fail the decode.
    int32_t warnings_are_errors;
    /// Non-zero: a progressive file decoded at 1/8 scale reads its DC scans
    /// only (buffered-image mode) and stops there.
    int32_t progressive_dc_only;
} ImgSearchJPEGOptions;

/// A decoded image. `pixels` belongs to the struct: release it with
/// imgsearch_jpeg_free.
typedef struct {
    /// Size of `pixels`, after DCT scaling.
    int32_t width;
    int32_t height;
    /// Size declared by the file's header.
    int32_t source_width;
    int32_t source_height;
    /// The DCT scale used: scale_num / 8.
    int32_t scale_num;
    int32_t is_progressive;
    /// Non-zero when only the DC scans were read.
    int32_t used_dc_only;
    /// Number of libjpeg warnings that were tolerated (harmless ones, or
    /// all of them when warnings are not errors).
    int32_t warning_count;
    /// width * height * 3 bytes, RGB interleaved, row-major.
    uint8_t *pixels;
} ImgSearchJPEGImage;

/// Decodes the JPEG in `data[0..<size]` into `image` (RGB, 8-bit).
///
/// On failure returns a non-zero status, writes a NUL-terminated reason into
/// `message` (at most `message_capacity` bytes) and leaves `image->pixels`
/// NULL.
ImgSearchJPEGStatus imgsearch_jpeg_decode(const uint8_t *data, size_t size,
                                          const ImgSearchJPEGOptions *options,
                                          ImgSearchJPEGImage *image,
                                          char *message, size_t message_capacity);

/// Releases the pixels of a decoded image; safe on an image whose pixels are NULL.
void imgsearch_jpeg_free(ImgSearchJPEGImage *image);

/// Encodes `pixels` (width * height * 3 bytes, RGB interleaved, row-major)
/// as a baseline JPEG with libjpeg's standard tables scaled to `quality`
/// (1...100, clamped) and 4:2:0 chroma subsampling, libjpeg's defaults.
///
/// On success `*output` holds `*output_size` bytes that the caller releases
/// with imgsearch_jpeg_free_bytes. On failure returns a non-zero status,
/// writes the reason into `message` and leaves `*output` NULL.
ImgSearchJPEGStatus imgsearch_jpeg_encode(const uint8_t *pixels, int32_t width, int32_t height,
                                          int32_t quality, uint8_t **output, size_t *output_size,
                                          char *message, size_t message_capacity);

/// Releases the bytes of imgsearch_jpeg_encode; safe on NULL.
void imgsearch_jpeg_free_bytes(uint8_t *bytes);

#ifdef __cplusplus
}
#endif

#endif
