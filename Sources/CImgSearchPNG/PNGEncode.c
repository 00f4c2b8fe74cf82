// Encoding 8-bit RGB pixels to a PNG in memory with libpng's full API.
// The error discipline is described in PNGErrorHandling.h.

#include "CImgSearchPNG.h"
#include "PNGErrorHandling.h"

#include <stdlib.h>
#include <string.h>

// The growing output buffer. write_to_memory changes it after setjmp and the
// error path frees it after a longjmp, so imgsearch_png_encode declares it
// volatile and every access here goes through a volatile pointer.
typedef struct memory_sink {
    uint8_t *bytes;
    size_t size;
    size_t capacity;
    int is_out_of_memory;
} memory_sink;

static void write_to_memory(png_structp png, png_bytep chunk, size_t length) {
    volatile memory_sink *sink = (volatile memory_sink *)png_get_io_ptr(png);
    if (length > sink->capacity - sink->size) {
        if (length > SIZE_MAX - sink->size) {
            sink->is_out_of_memory = 1;
            png_error(png, "the PNG would be larger than memory can address");
        }
        const size_t needed = sink->size + length;
        // Doubling keeps the number of copies logarithmic in the file size.
        size_t capacity = sink->capacity > 0 ? sink->capacity : 4096;
        while (capacity < needed) {
            capacity = capacity > SIZE_MAX / 2 ? needed : capacity * 2;
        }
        uint8_t *grown = realloc(sink->bytes, capacity);
        if (grown == NULL) {
            sink->is_out_of_memory = 1;
            png_error(png, "out of memory while growing the PNG buffer");
        }
        sink->bytes = grown;
        sink->capacity = capacity;
    }
    memcpy(sink->bytes + sink->size, chunk, length);
    sink->size += length;
}

// Memory needs no flushing; libpng insists on a function all the same.
static void flush_nothing(png_structp png) {
    (void)png;
}

static void destroy_writer(png_structp png, png_infop info) {
    if (png != NULL) {
        png_destroy_write_struct(&png, info != NULL ? &info : NULL);
    }
}

imgsearch_png_status imgsearch_png_encode(
    const uint8_t *pixels, uint32_t width, uint32_t height,
    uint8_t **png_bytes, size_t *png_size,
    char *message, size_t message_capacity)
{
    *png_bytes = NULL;
    *png_size = 0;
    imgsearch_png_write_message(message, message_capacity, "");

    imgsearch_png_error_context errors = {.message = message, .message_capacity = message_capacity};
    volatile memory_sink sink = {.bytes = NULL, .size = 0, .capacity = 0, .is_out_of_memory = 0};
    png_structp volatile png = NULL;
    png_infop volatile info = NULL;

    if (setjmp(errors.jump)) {
        free(sink.bytes);
        destroy_writer(png, info);
        return sink.is_out_of_memory ? IMGSEARCH_PNG_OUT_OF_MEMORY : IMGSEARCH_PNG_LIBPNG_ERROR;
    }

    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &errors,
                                  imgsearch_png_report_error_and_jump, imgsearch_png_keep_warning);
    if (png == NULL) {
        return IMGSEARCH_PNG_OUT_OF_MEMORY;
    }
    info = png_create_info_struct(png);
    if (info == NULL) {
        destroy_writer(png, NULL);
        return IMGSEARCH_PNG_OUT_OF_MEMORY;
    }
    // The cast drops volatile only for libpng's void pointer;
    // write_to_memory restores it before touching the sink.
    png_set_write_fn(png, (void *)&sink, write_to_memory, flush_nothing);
    // A panorama wider than libpng's default of 1,000,000 pixels is still a
    // valid PNG, and the decoder reads it, so only the format's 2^31 - 1
    // remains; png_set_IHDR reports a side over that through png_error.
    png_set_user_limits(png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
    png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    const size_t row_bytes = (size_t)width * 3;
    for (uint32_t y = 0; y < height; y++) {
        png_write_row(png, pixels + (size_t)y * row_bytes);
    }
    png_write_end(png, NULL);
    destroy_writer(png, info);

    *png_bytes = sink.bytes;
    *png_size = sink.size;
    return IMGSEARCH_PNG_OK;
}
