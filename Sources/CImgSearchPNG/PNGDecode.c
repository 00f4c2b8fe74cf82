// Decoding a PNG held in memory to 8-bit RGB with libpng's full API.
// The error discipline is described in PNGErrorHandling.h.

#include "CImgSearchPNG.h"
#include "PNGErrorHandling.h"

#include <stdlib.h>
#include <string.h>

typedef struct memory_source {
    const uint8_t *data;
    size_t size;
    size_t offset;
} memory_source;

static void read_from_memory(png_structp png, png_bytep destination, size_t length) {
    memory_source *source = (memory_source *)png_get_io_ptr(png);
    if (length > source->size - source->offset) {
        png_error(png, "unexpected end of file (the PNG is truncated)");
    }
    memcpy(destination, source->data + source->offset, length);
    source->offset += length;
}

static void destroy_reader(png_structp png, png_infop info) {
    if (png != NULL) {
        png_destroy_read_struct(&png, info != NULL ? &info : NULL, NULL);
    }
}

// Blends each RGBA pixel over the background and packs the result as RGB in
// the same buffer. Straight alpha in 8-bit sRGB values, rounded, so alpha 0
// gives exactly the background and alpha 255 exactly the pixel. Packing in
// place is safe: pixel i is read whole before bytes 3i..3i+2 are written,
// and 3i + 2 < 4(i + 1).
static void composite_over_background(uint8_t *pixels, size_t pixel_count,
                                      const uint8_t background[3]) {
    for (size_t i = 0; i < pixel_count; i++) {
        const uint8_t *source = pixels + 4 * i;
        const unsigned red = source[0], green = source[1], blue = source[2];
        const unsigned alpha = source[3], transparency = 255 - alpha;
        uint8_t *destination = pixels + 3 * i;
        destination[0] = (uint8_t)((red * alpha + background[0] * transparency + 127) / 255);
        destination[1] = (uint8_t)((green * alpha + background[1] * transparency + 127) / 255);
        destination[2] = (uint8_t)((blue * alpha + background[2] * transparency + 127) / 255);
    }
}

imgsearch_png_status imgsearch_png_decode(
    const uint8_t *data, size_t size,
    uint64_t maximum_pixel_count,
    uint8_t background_red, uint8_t background_green, uint8_t background_blue,
    imgsearch_png_image *image,
    char *message, size_t message_capacity)
{
    image->pixels = NULL;
    image->width = 0;
    image->height = 0;
    imgsearch_png_write_message(message, message_capacity, "");

    imgsearch_png_error_context errors = {.message = message, .message_capacity = message_capacity};
    memory_source source = {.data = data, .size = size, .offset = 0};
    const uint8_t background[3] = {background_red, background_green, background_blue};

    // Assigned after setjmp and released after a longjmp: volatile, so the
    // values seen there are the latest ones and not stale registers.
    png_structp volatile png = NULL;
    png_infop volatile info = NULL;
    uint8_t *volatile pixels = NULL;

    if (setjmp(errors.jump)) {
        free(pixels);
        destroy_reader(png, info);
        return IMGSEARCH_PNG_LIBPNG_ERROR;
    }

    png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &errors,
                                 imgsearch_png_report_error_and_jump, imgsearch_png_keep_warning);
    if (png == NULL) {
        return IMGSEARCH_PNG_OUT_OF_MEMORY;
    }
    info = png_create_info_struct(png);
    if (info == NULL) {
        destroy_reader(png, NULL);
        return IMGSEARCH_PNG_OUT_OF_MEMORY;
    }
    // The caller's pixel count is the limit that matters. libpng's default of
    // 1,000,000 per side would report a small but very wide panorama as an
    // error, so only the format's own 2^31 - 1 remains.
    png_set_user_limits(png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
    png_set_read_fn(png, &source, read_from_memory);

    png_read_info(png, info);
    const png_uint_32 width = png_get_image_width(png, info);
    const png_uint_32 height = png_get_image_height(png, info);
    image->width = width;
    image->height = height;
    const uint64_t pixel_count = (uint64_t)width * height;
    if (pixel_count > maximum_pixel_count) {
        destroy_reader(png, info);
        return IMGSEARCH_PNG_TOO_LARGE;
    }

    // Everything becomes 8-bit RGB, plus alpha where the file has any:
    // palettes and 1/2/4-bit grey are expanded, tRNS becomes an alpha
    // channel, grey is copied to all three channels, and 16-bit samples are
    // rounded to the nearest 8-bit value (scale_16) rather than cut to their
    // high byte (strip_16).
    // No png_set_gamma and no png_set_background: gAMA and bKGD are ignored
    // on purpose. Stored values are taken as sRGB, as most encoders mean
    // them, and transparency is blended over the caller's colour, so the
    // same picture decodes the same whatever its file claims.
    png_set_expand(png);
    png_set_scale_16(png);
    png_set_gray_to_rgb(png);
    const int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);

    const size_t channels = png_get_channels(png, info);
    const size_t row_bytes = png_get_rowbytes(png, info);
    if (png_get_bit_depth(png, info) != 8 || (channels != 3 && channels != 4)
        || row_bytes != (size_t)width * channels) {
        png_error(png, "unexpected pixel layout after libpng's transformations");
    }
    if (pixel_count > SIZE_MAX / channels) {
        destroy_reader(png, info);
        return IMGSEARCH_PNG_OUT_OF_MEMORY;
    }
    pixels = malloc((size_t)pixel_count * channels);
    if (pixels == NULL) {
        destroy_reader(png, info);
        return IMGSEARCH_PNG_OUT_OF_MEMORY;
    }

    // With interlace handling on, each pass fills in more pixels of the same
    // full-size rows, so every pass reads every row into its final place.
    for (int pass = 0; pass < passes; pass++) {
        for (png_uint_32 y = 0; y < height; y++) {
            png_read_row(png, pixels + (size_t)y * row_bytes, NULL);
        }
    }
    // Reads the chunks after the image data up to IEND, checking their CRCs.
    png_read_end(png, NULL);
    destroy_reader(png, info);

    uint8_t *rgb = pixels;
    if (channels == 4) {
        composite_over_background(rgb, (size_t)pixel_count, background);
        uint8_t *shrunk = realloc(rgb, (size_t)pixel_count * 3);
        if (shrunk != NULL) {
            rgb = shrunk;
        }
    }
    image->pixels = rgb;
    return IMGSEARCH_PNG_OK;
}

