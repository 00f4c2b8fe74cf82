#ifndef CIMGSEARCHTESTENCODERS_H
#define CIMGSEARCHTESTENCODERS_H

// Writers for the formats imgsearch only reads (WebP, GIF, TIFF, HEIC, AVIF), through the
// same system libraries' encoders, so that the decoder tests can make their
// fixtures at test time and run in a checkout without ../shared. Test
// support only: not part of any product.
//
// Every writer returns a buffer from malloc (the caller frees it with free)
// and stores its length in *size, or returns NULL when the library refused.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A lossless WebP (VP8L) of `channels` (3: RGB, 4: RGBA) interleaved bytes.
uint8_t *imgsearch_test_write_webp_lossless(const uint8_t *pixels, int width, int height, int channels, size_t *size);

/// A lossy WebP (VP8) of RGB bytes at `quality` (0-100).
uint8_t *imgsearch_test_write_webp_lossy(const uint8_t *rgb, int width, int height, float quality, size_t *size);

/// One frame of a GIF: palette indices, `width * height` bytes, placed at
/// (`left`, `top`) on the logical screen.
typedef struct imgsearch_test_gif_frame {
    const uint8_t *indices;
    int left, top, width, height;
    /// Whether the frame's rows are stored in GIF's four-pass interlaced order.
    int interlaced;
    /// The index that a Graphic Control Extension marks transparent, or -1.
    int transparent_index;
} imgsearch_test_gif_frame;

/// A GIF89a with a global colour table of `colour_count` RGB triples
/// (padded to the next power of two) and `frame_count` frames.
uint8_t *imgsearch_test_write_gif(int screen_width, int screen_height,
                                  const uint8_t *palette, int colour_count,
                                  const imgsearch_test_gif_frame *frames, int frame_count,
                                  size_t *size);

/// One page (directory) of a TIFF.
typedef struct imgsearch_test_tiff_page {
    /// Interleaved samples, rows top to bottom: bytes for 8 bits a sample,
    /// host-order uint16 for 16.
    const void *samples;
    uint32_t width, height;
    uint16_t samples_per_pixel;  // 1 grey or palette, 3 RGB, 4 RGBA (unassociated alpha)
    uint16_t bits_per_sample;    // 8 or 16
    uint16_t photometric;        // PHOTOMETRIC_MINISBLACK (1), _RGB (2) or _PALETTE (3)
    uint16_t compression;        // COMPRESSION_NONE (1), _LZW (5), _ADOBE_DEFLATE (8), _PACKBITS (32773)
    uint16_t orientation;        // the Orientation tag, 1-8
    /// 0 for strips of `rows_per_strip` rows; otherwise square tiles of this
    /// side (a multiple of 16).
    uint32_t tile_side;
    uint32_t rows_per_strip;
    /// For a palette page: 3 x 2^bits_per_sample 16-bit levels (all reds,
    /// then greens, then blues), as TIFF's ColorMap stores them.
    const uint16_t *colour_map;
} imgsearch_test_tiff_page;

/// A TIFF holding `page_count` pages, written in memory.
uint8_t *imgsearch_test_write_tiff(const imgsearch_test_tiff_page *pages, int page_count, size_t *size);

/// Whether this libheif has an encoder for HEVC (`av1` 0: HEIC) or AV1
/// (`av1` 1: AVIF); Debian's links x265 and libaom.
int imgsearch_test_heif_can_encode(int av1);

/// A HEIC (`av1` 0) or AVIF (`av1` 1) of RGB bytes, lossy at `quality`
/// (0-100, libheif's scale), with libheif's default 4:2:0 chroma.
uint8_t *imgsearch_test_write_heif(const uint8_t *rgb, int width, int height, int av1, int quality, size_t *size);

#ifdef __cplusplus
}
#endif

#endif
