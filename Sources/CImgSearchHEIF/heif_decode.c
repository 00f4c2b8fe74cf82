// HEIF (HEIC, AVIF) to 8-bit RGB through libheif 1.15. libheif returns a
// `struct heif_error` from every call that can fail and never prints.

#include "CImgSearchHEIF.h"

#include <libheif/heif.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void write_message(char *message, size_t capacity, const char *text) {
    if (message != NULL && capacity > 0) {
        snprintf(message, capacity, "%s", text);
    }
}

// libheif's messages may end in a newline or hold several lines; an
// error is one line (the CLI prints `<path>: <reason>` per line).
static void write_heif_error(char *message, size_t capacity, const char *what, struct heif_error error) {
    if (message != NULL && capacity > 0) {
        snprintf(message, capacity, "%s: %s", what, error.message != NULL ? error.message : "unknown libheif error");
        for (char *c = message; *c != '\0'; c++) {
            if (*c == '\n' || *c == '\r' || *c == '\t') *c = ' ';
        }
        size_t length = strlen(message);
        while (length > 0 && message[length - 1] == ' ') message[--length] = '\0';
    }
}

static imgsearch_heif_status status_of(struct heif_error error) {
    switch (error.code) {
    case heif_error_Memory_allocation_error: return IMGSEARCH_HEIF_OUT_OF_MEMORY;
    case heif_error_Unsupported_feature:
    case heif_error_Unsupported_filetype:
    case heif_error_Plugin_loading_error:
        return IMGSEARCH_HEIF_UNSUPPORTED;
    default: return IMGSEARCH_HEIF_CORRUPT;
    }
}

// heif_init loads the decoder plugins where libheif is built with them; it
// is reference counted and called once for the process, never undone.
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static void initialize(void) {
    (void)heif_init(NULL);
}

imgsearch_heif_status imgsearch_heif_decode(
    const uint8_t *data, size_t size,
    uint64_t maximum_pixel_count, int minimum_side,
    uint8_t background_red, uint8_t background_green, uint8_t background_blue,
    imgsearch_heif_image *image,
    char *message, size_t message_capacity)
{
    image->pixels = NULL;
    image->width = 0;
    image->height = 0;
    image->source_width = 0;
    image->source_height = 0;
    image->from_thumbnail = 0;
    write_message(message, message_capacity, "");
    pthread_once(&init_once, initialize);

    struct heif_context *context = heif_context_alloc();
    if (context == NULL) {
        return IMGSEARCH_HEIF_OUT_OF_MEMORY;
    }
    // Parses the boxes only; the bytes stay the caller's until the context is freed.
    struct heif_error error = heif_context_read_from_memory_without_copy(context, data, size, NULL);
    if (error.code != heif_error_Ok) {
        write_heif_error(message, message_capacity, "cannot read the HEIF file", error);
        heif_context_free(context);
        return status_of(error);
    }
    struct heif_image_handle *primary = NULL;
    error = heif_context_get_primary_image_handle(context, &primary);
    if (error.code != heif_error_Ok) {
        write_heif_error(message, message_capacity, "no primary image", error);
        heif_context_free(context);
        return status_of(error);
    }
    // Sizes after the transformations (a 90-degree irot swaps them).
    const int width = heif_image_handle_get_width(primary);
    const int height = heif_image_handle_get_height(primary);
    if (width <= 0 || height <= 0) {
        write_message(message, message_capacity, "the primary image declares no pixels");
        heif_image_handle_release(primary);
        heif_context_free(context);
        return IMGSEARCH_HEIF_CORRUPT;
    }
    image->width = image->source_width = (uint32_t)width;
    image->height = image->source_height = (uint32_t)height;
    if ((uint64_t)width * (uint64_t)height > maximum_pixel_count) {
        heif_image_handle_release(primary);
        heif_context_free(context);
        return IMGSEARCH_HEIF_TOO_LARGE;
    }

    // The embedded thumbnail, when it is large enough for the caller.
    struct heif_image_handle *chosen = primary;
    if (minimum_side > 0 && heif_image_handle_get_number_of_thumbnails(primary) > 0) {
        heif_item_id thumbnail_id;
        if (heif_image_handle_get_list_of_thumbnail_IDs(primary, &thumbnail_id, 1) == 1) {
            struct heif_image_handle *thumbnail = NULL;
            error = heif_image_handle_get_thumbnail(primary, thumbnail_id, &thumbnail);
            if (error.code == heif_error_Ok && thumbnail != NULL) {
                const int thumbnail_width = heif_image_handle_get_width(thumbnail);
                const int thumbnail_height = heif_image_handle_get_height(thumbnail);
                // Same orientation as the primary (a turned thumbnail of a
                // differently turned picture would be a broken file).
                const int same_shape = (thumbnail_width >= thumbnail_height) == (width >= height);
                if (thumbnail_width >= minimum_side && thumbnail_height >= minimum_side && same_shape
                    && (uint64_t)thumbnail_width * thumbnail_height <= (uint64_t)width * height) {
                    chosen = thumbnail;
                    image->from_thumbnail = 1;
                } else {
                    heif_image_handle_release(thumbnail);
                }
            }
        }
    }

    const int has_alpha = heif_image_handle_has_alpha_channel(chosen);
    struct heif_decoding_options *options = heif_decoding_options_alloc();
    if (options == NULL) {
        if (chosen != primary) heif_image_handle_release(chosen);
        heif_image_handle_release(primary);
        heif_context_free(context);
        return IMGSEARCH_HEIF_OUT_OF_MEMORY;
    }
    options->ignore_transformations = 0;  // irot, imir and clap applied by libheif
    if (options->version >= 2) options->convert_hdr_to_8bit = 1;
    struct heif_image *decoded = NULL;
    error = heif_decode_image(chosen, &decoded, heif_colorspace_RGB,
                              has_alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB, options);
    heif_decoding_options_free(options);
    if (chosen != primary) heif_image_handle_release(chosen);
    heif_image_handle_release(primary);
    if (error.code != heif_error_Ok || decoded == NULL) {
        write_heif_error(message, message_capacity, "cannot decode the image", error);
        if (decoded != NULL) heif_image_release(decoded);
        heif_context_free(context);
        return error.code == heif_error_Ok ? IMGSEARCH_HEIF_CORRUPT : status_of(error);
    }

    const int out_width = heif_image_get_width(decoded, heif_channel_interleaved);
    const int out_height = heif_image_get_height(decoded, heif_channel_interleaved);
    int stride = 0;
    const uint8_t *plane = heif_image_get_plane_readonly(decoded, heif_channel_interleaved, &stride);
    const int channels = has_alpha ? 4 : 3;
    if (plane == NULL || out_width <= 0 || out_height <= 0 || stride < out_width * channels
        || (uint64_t)out_width * (uint64_t)out_height > maximum_pixel_count) {
        write_message(message, message_capacity, "libheif returned no usable pixels");
        heif_image_release(decoded);
        heif_context_free(context);
        return IMGSEARCH_HEIF_CORRUPT;
    }
    uint8_t *rgb = malloc((size_t)out_width * (size_t)out_height * 3);
    if (rgb == NULL) {
        heif_image_release(decoded);
        heif_context_free(context);
        return IMGSEARCH_HEIF_OUT_OF_MEMORY;
    }
    const uint8_t background[3] = {background_red, background_green, background_blue};
    for (int y = 0; y < out_height; y++) {
        const uint8_t *source = plane + (size_t)y * (size_t)stride;
        uint8_t *target = rgb + (size_t)y * (size_t)out_width * 3;
        for (int x = 0; x < out_width; x++) {
            if (has_alpha) {
                // Straight alpha over the background, as for PNG.
                const unsigned alpha = source[4 * x + 3], transparency = 255 - alpha;
                for (int c = 0; c < 3; c++) {
                    target[3 * x + c] = (uint8_t)((source[4 * x + c] * alpha + background[c] * transparency + 127) / 255);
                }
            } else {
                memcpy(target + 3 * x, source + 3 * x, 3);
            }
        }
    }
    heif_image_release(decoded);
    heif_context_free(context);
    image->pixels = rgb;
    image->width = (uint32_t)out_width;
    image->height = (uint32_t)out_height;
    return IMGSEARCH_HEIF_OK;
}

void imgsearch_heif_free(void *buffer) {
    free(buffer);
}
