#ifndef CIMGSEARCHGIF_H
#define CIMGSEARCHGIF_H

// GIF decoding through giflib 5. giflib reports errors by return codes (no
// jumps, no printing), so this target exists to keep giflib's types out of
// Swift and to put the first frame on its canvas.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__has_attribute)
#if __has_attribute(enum_extensibility)
#define IMGSEARCH_GIF_CLOSED_ENUM __attribute__((enum_extensibility(closed)))
#endif
#endif
#ifndef IMGSEARCH_GIF_CLOSED_ENUM
#define IMGSEARCH_GIF_CLOSED_ENUM
#endif

/// The outcome of `imgsearch_gif_decode`.
typedef enum IMGSEARCH_GIF_CLOSED_ENUM imgsearch_gif_status {
    /// Success; the pixels belong to the caller (`imgsearch_gif_free`).
    IMGSEARCH_GIF_OK = 0,
    /// giflib refused the file or the file is damaged; the message buffer
    /// holds giflib's reason.
    IMGSEARCH_GIF_CORRUPT = 1,
    /// The canvas is larger than the caller's limit; width and height are
    /// filled in and nothing was allocated for the pixels.
    IMGSEARCH_GIF_TOO_LARGE = 2,
    /// Memory for the pixels could not be had.
    IMGSEARCH_GIF_OUT_OF_MEMORY = 3,
} imgsearch_gif_status;

/// 8-bit RGB, interleaved, `width * 3` bytes a row, no padding.
typedef struct imgsearch_gif_image {
    uint8_t *pixels;
    uint32_t width;
    uint32_t height;
} imgsearch_gif_image;

/// Decodes the first frame of the GIF file `data[0 ..< size]` to 8-bit RGB.
///
/// The canvas is the logical screen, grown to hold the first frame if the
/// frame reaches past it (as browsers do). The frame's transparent colour
/// index (Graphic Control Extension) and every part of the canvas the frame
/// does not cover become the background colour, the same colour the PNG
/// decoder composites alpha over; the file's own background colour index is
/// ignored, as the PNG decoder ignores bKGD. A frame without any colour
/// table is shown in grey levels (index i as i, i, i); an index past the
/// colour table is black. The canvas size is checked against
/// `maximum_pixel_count` before anything is allocated. Nothing is printed.
imgsearch_gif_status imgsearch_gif_decode(
    const uint8_t *data, size_t size,
    uint64_t maximum_pixel_count,
    uint8_t background_red, uint8_t background_green, uint8_t background_blue,
    imgsearch_gif_image *image,
    char *message, size_t message_capacity);

/// Releases the pixels of a decoded image. NULL is ignored.
void imgsearch_gif_free(void *buffer);

#ifdef __cplusplus
}
#endif

#endif
