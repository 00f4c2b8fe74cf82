// The first page of a TIFF to 8-bit RGB through TIFFRGBAImage, from memory
// (TIFFClientOpenExt with read, seek and map procedures over the caller's
// bytes). Errors and warnings go to per-file handlers (TIFFOpenOptions,
// libtiff 4.5+) that print nothing; the process-wide handlers, which print
// to stderr by default, are cleared once as well, for the few messages
// libtiff issues without a file.

#include "CImgSearchTIFF.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

typedef struct memory_source {
    const uint8_t *data;
    size_t size;
    uint64_t offset;
} memory_source;

typedef struct error_context {
    char *message;
    size_t message_capacity;
    int has_error;
} error_context;

static tmsize_t read_proc(thandle_t handle, void *buffer, tmsize_t length) {
    memory_source *source = (memory_source *)handle;
    if (length <= 0 || source->offset >= source->size) return 0;
    uint64_t count = (uint64_t)length;
    if (count > source->size - source->offset) count = source->size - source->offset;
    memcpy(buffer, source->data + source->offset, (size_t)count);
    source->offset += count;
    return (tmsize_t)count;
}

static tmsize_t write_proc(thandle_t handle, void *buffer, tmsize_t length) {
    (void)handle; (void)buffer; (void)length;
    return 0;  // opened read-only; libtiff never writes
}

static toff_t seek_proc(thandle_t handle, toff_t offset, int whence) {
    memory_source *source = (memory_source *)handle;
    uint64_t base;
    switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = source->offset; break;
    case SEEK_END: base = source->size; break;
    default: return (toff_t)-1;
    }
    // Offsets past the end are allowed (reads there return nothing), as for
    // a file; an overflow is refused.
    if (offset > UINT64_MAX - base) return (toff_t)-1;
    source->offset = base + offset;
    return (toff_t)source->offset;
}

static int close_proc(thandle_t handle) {
    (void)handle;
    return 0;
}

static toff_t size_proc(thandle_t handle) {
    return (toff_t)((memory_source *)handle)->size;
}

// "Mapping" the bytes already in memory lets libtiff read strips in place.
static int map_proc(thandle_t handle, void **base, toff_t *size) {
    memory_source *source = (memory_source *)handle;
    *base = (void *)source->data;
    *size = (toff_t)source->size;
    return 1;
}

static void unmap_proc(thandle_t handle, void *base, toff_t size) {
    (void)handle; (void)base; (void)size;
}

// Keeps the first error: later ones are usually consequences of it
// ("Read error on strip 3" after "Invalid strip byte count").
static int keep_error(TIFF *tiff, void *user_data, const char *module, const char *format, va_list arguments) {
    (void)tiff;
    error_context *context = (error_context *)user_data;
    if (context != NULL && !context->has_error && context->message != NULL && context->message_capacity > 0) {
        char text[512];
        vsnprintf(text, sizeof text, format, arguments);
        if (module != NULL && module[0] != '\0') {
            snprintf(context->message, context->message_capacity, "%s: %s", module, text);
        } else {
            snprintf(context->message, context->message_capacity, "%s", text);
        }
    }
    if (context != NULL) context->has_error = 1;
    return 1;  // handled: the process-wide handler is not called
}

// Warnings (unknown tags, odd but readable values) are dropped.
static int drop_warning(TIFF *tiff, void *user_data, const char *module, const char *format, va_list arguments) {
    (void)tiff; (void)user_data; (void)module; (void)format; (void)arguments;
    return 1;
}

static pthread_once_t silence_once = PTHREAD_ONCE_INIT;
static void silence_process_handlers(void) {
    TIFFSetErrorHandler(NULL);
    TIFFSetWarningHandler(NULL);
}

static void write_message(char *message, size_t capacity, const char *text) {
    if (message != NULL && capacity > 0) {
        snprintf(message, capacity, "%s", text);
    }
}

// libtiff's RGBA raster holds premultiplied ("associated") alpha whatever
// the file stores, so the background is added in proportion to what the
// pixel lets through; for an opaque pixel this is the pixel itself.
static void composite_raster(const uint32_t *raster, uint8_t *rgb, size_t pixel_count,
                             const uint8_t background[3]) {
    for (size_t i = 0; i < pixel_count; i++) {
        const uint32_t abgr = raster[i];
        const unsigned red = TIFFGetR(abgr), green = TIFFGetG(abgr), blue = TIFFGetB(abgr);
        const unsigned transparency = 255 - TIFFGetA(abgr);
        unsigned values[3] = {
            red + (background[0] * transparency + 127) / 255,
            green + (background[1] * transparency + 127) / 255,
            blue + (background[2] * transparency + 127) / 255,
        };
        for (int c = 0; c < 3; c++) {
            rgb[3 * i + c] = (uint8_t)(values[c] > 255 ? 255 : values[c]);
        }
    }
}

imgsearch_tiff_status imgsearch_tiff_decode(
    const uint8_t *data, size_t size,
    uint64_t maximum_pixel_count,
    uint8_t background_red, uint8_t background_green, uint8_t background_blue,
    imgsearch_tiff_image *image,
    char *message, size_t message_capacity)
{
    image->pixels = NULL;
    image->width = 0;
    image->height = 0;
    image->orientation = 1;
    write_message(message, message_capacity, "");
    pthread_once(&silence_once, silence_process_handlers);

    error_context errors = {.message = message, .message_capacity = message_capacity, .has_error = 0};
    memory_source source = {.data = data, .size = size, .offset = 0};

    TIFFOpenOptions *options = TIFFOpenOptionsAlloc();
    if (options == NULL) {
        return IMGSEARCH_TIFF_OUT_OF_MEMORY;
    }
    TIFFOpenOptionsSetErrorHandlerExtR(options, keep_error, &errors);
    TIFFOpenOptionsSetWarningHandlerExtR(options, drop_warning, NULL);
    // No single libtiff allocation (a strip, a tile, a tag array) may exceed
    // what a page at the pixel limit needs at 16 bits x 4 samples, so a
    // header that lies about a strip's size cannot make libtiff allocate
    // gigabytes; at least 64 MiB, for small limits.
    uint64_t allocation_cap = maximum_pixel_count > (UINT64_MAX / 8) ? UINT64_MAX : maximum_pixel_count * 8;
    if (allocation_cap < ((uint64_t)64 << 20)) allocation_cap = (uint64_t)64 << 20;
    if (allocation_cap > (uint64_t)INT64_MAX) allocation_cap = (uint64_t)INT64_MAX;
    TIFFOpenOptionsSetMaxSingleMemAlloc(options, (tmsize_t)allocation_cap);

    TIFF *tiff = TIFFClientOpenExt("TIFF", "r", (thandle_t)&source,
                                   read_proc, write_proc, seek_proc, close_proc, size_proc,
                                   map_proc, unmap_proc, options);
    TIFFOpenOptionsFree(options);
    if (tiff == NULL) {
        if (!errors.has_error) write_message(message, message_capacity, "libtiff cannot open the file");
        return IMGSEARCH_TIFF_CORRUPT;
    }

    uint32_t width = 0, height = 0;
    if (!TIFFGetField(tiff, TIFFTAG_IMAGEWIDTH, &width) || !TIFFGetField(tiff, TIFFTAG_IMAGELENGTH, &height)
        || width == 0 || height == 0) {
        if (!errors.has_error) write_message(message, message_capacity, "the first TIFF page declares no pixels");
        TIFFClose(tiff);
        return IMGSEARCH_TIFF_CORRUPT;
    }
    image->width = width;
    image->height = height;
    const uint64_t pixel_count = (uint64_t)width * height;
    if (pixel_count > maximum_pixel_count) {
        TIFFClose(tiff);
        return IMGSEARCH_TIFF_TOO_LARGE;
    }
    if (pixel_count > SIZE_MAX / 4) {
        TIFFClose(tiff);
        return IMGSEARCH_TIFF_OUT_OF_MEMORY;
    }
    uint16_t orientation = ORIENTATION_TOPLEFT;
    if (TIFFGetFieldDefaulted(tiff, TIFFTAG_ORIENTATION, &orientation) && orientation >= 1 && orientation <= 8) {
        image->orientation = orientation;
    }

    char reason[1024] = {0};
    TIFFRGBAImage rgba;
    if (!TIFFRGBAImageOK(tiff, reason) || !TIFFRGBAImageBegin(&rgba, tiff, 1, reason)) {
        // errors.message may already hold libtiff's own text; the RGBA
        // interface's reason says what it cannot convert.
        const int unsupported = !errors.has_error;
        if (unsupported) write_message(message, message_capacity, reason[0] != '\0' ? reason : "libtiff cannot convert this TIFF to RGB");
        TIFFClose(tiff);
        return unsupported ? IMGSEARCH_TIFF_UNSUPPORTED : IMGSEARCH_TIFF_CORRUPT;
    }
    // Rows in stored order: telling the reader the page is already top-left
    // disables its flips (which handle orientations 1-4 only and treat 5-8
    // as if they were 1-4); the caller applies all eight.
    rgba.req_orientation = ORIENTATION_TOPLEFT;
    rgba.orientation = ORIENTATION_TOPLEFT;

    uint32_t *raster = (uint32_t *)malloc((size_t)pixel_count * sizeof(uint32_t));
    if (raster == NULL) {
        TIFFRGBAImageEnd(&rgba);
        TIFFClose(tiff);
        return IMGSEARCH_TIFF_OUT_OF_MEMORY;
    }
    // Zeroed so that anything the reader leaves unwritten is transparent.
    memset(raster, 0, (size_t)pixel_count * sizeof(uint32_t));
    const int read = TIFFRGBAImageGet(&rgba, raster, width, height);
    TIFFRGBAImageEnd(&rgba);
    TIFFClose(tiff);
    if (!read || errors.has_error) {
        free(raster);
        if (!errors.has_error) write_message(message, message_capacity, "libtiff could not read the image data");
        return IMGSEARCH_TIFF_CORRUPT;
    }

    const uint8_t background[3] = {background_red, background_green, background_blue};
    uint8_t *rgb = (uint8_t *)raster;  // 3 bytes out for every 4 in: packed in place
    composite_raster(raster, rgb, (size_t)pixel_count, background);
    uint8_t *shrunk = realloc(rgb, (size_t)pixel_count * 3);
    image->pixels = shrunk != NULL ? shrunk : rgb;
    return IMGSEARCH_TIFF_OK;
}

void imgsearch_tiff_free(void *buffer) {
    free(buffer);
}
