// WebP to 8-bit RGB with libwebp (still images) and libwebpdemux (the first
// frame of an animation). libwebp never prints, never exits and reports
// every failure by a return value, so no jumps are needed here.

#include "CImgSearchWebP.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <webp/decode.h>
#include <webp/demux.h>

static void write_message(char *message, size_t capacity, const char *text) {
    if (message != NULL && capacity > 0) {
        snprintf(message, capacity, "%s", text);
    }
}

static const char *status_text(VP8StatusCode status) {
    switch (status) {
    case VP8_STATUS_OK: return "no error";
    case VP8_STATUS_OUT_OF_MEMORY: return "libwebp ran out of memory";
    case VP8_STATUS_INVALID_PARAM: return "invalid parameter";
    case VP8_STATUS_BITSTREAM_ERROR: return "bitstream error (the WebP data is damaged or not WebP)";
    case VP8_STATUS_UNSUPPORTED_FEATURE: return "a WebP feature libwebp does not support";
    case VP8_STATUS_SUSPENDED: return "decoding suspended";
    case VP8_STATUS_USER_ABORT: return "decoding aborted";
    case VP8_STATUS_NOT_ENOUGH_DATA: return "not enough data (the WebP file is truncated)";
    }
    return "unknown libwebp error";
}

// Straight alpha over the background in 8-bit values, rounded, exactly as
// the PNG decoder does it: alpha 0 gives the background, 255 the pixel.
static void composite_into(const uint8_t *rgba, uint8_t *rgb, size_t pixel_count,
                           const uint8_t background[3]) {
    for (size_t i = 0; i < pixel_count; i++) {
        const uint8_t *source = rgba + 4 * i;
        const unsigned alpha = source[3], transparency = 255 - alpha;
        uint8_t *destination = rgb + 3 * i;
        for (int c = 0; c < 3; c++) {
            destination[c] = (uint8_t)((source[c] * alpha + background[c] * transparency + 127) / 255);
        }
    }
}

static imgsearch_webp_status decode_animation(
    const uint8_t *data, size_t size, uint64_t pixel_count, const uint8_t background[3],
    imgsearch_webp_image *image, char *message, size_t message_capacity)
{
    WebPAnimDecoderOptions options;
    if (!WebPAnimDecoderOptionsInit(&options)) {
        write_message(message, message_capacity, "libwebpdemux version mismatch");
        return IMGSEARCH_WEBP_UNSUPPORTED;
    }
    options.color_mode = MODE_RGBA;
    options.use_threads = 0;
    const WebPData input = {.bytes = data, .size = size};
    // Parses the container and allocates the canvas, whose size was checked
    // against the limit by the caller.
    WebPAnimDecoder *decoder = WebPAnimDecoderNew(&input, &options);
    if (decoder == NULL) {
        write_message(message, message_capacity, "cannot parse the animated WebP (damaged or truncated container)");
        return IMGSEARCH_WEBP_CORRUPT;
    }
    WebPAnimInfo info;
    if (!WebPAnimDecoderGetInfo(decoder, &info) || info.frame_count == 0
        || (uint64_t)info.canvas_width * info.canvas_height != pixel_count) {
        WebPAnimDecoderDelete(decoder);
        write_message(message, message_capacity, "animated WebP without frames or with an inconsistent canvas");
        return IMGSEARCH_WEBP_CORRUPT;
    }
    uint8_t *frame = NULL;
    int timestamp = 0;
    if (!WebPAnimDecoderGetNext(decoder, &frame, &timestamp) || frame == NULL) {
        WebPAnimDecoderDelete(decoder);
        write_message(message, message_capacity, "cannot decode the first frame of the animated WebP");
        return IMGSEARCH_WEBP_CORRUPT;
    }
    uint8_t *rgb = malloc((size_t)pixel_count * 3);
    if (rgb == NULL) {
        WebPAnimDecoderDelete(decoder);
        return IMGSEARCH_WEBP_OUT_OF_MEMORY;
    }
    // The canvas starts transparent (libwebp ignores the file's background
    // colour, as the WebP container specification allows), so whatever the
    // first frame leaves uncovered becomes the caller's background.
    composite_into(frame, rgb, (size_t)pixel_count, background);
    WebPAnimDecoderDelete(decoder);
    image->pixels = rgb;
    return IMGSEARCH_WEBP_OK;
}

imgsearch_webp_status imgsearch_webp_decode(
    const uint8_t *data, size_t size,
    uint64_t maximum_pixel_count,
    uint8_t background_red, uint8_t background_green, uint8_t background_blue,
    imgsearch_webp_image *image,
    char *message, size_t message_capacity)
{
    image->pixels = NULL;
    image->width = 0;
    image->height = 0;
    image->animated = 0;
    write_message(message, message_capacity, "");
    const uint8_t background[3] = {background_red, background_green, background_blue};

    // Reads the RIFF header and the first chunks only: size, alpha, animation.
    WebPBitstreamFeatures features;
    const VP8StatusCode probe = WebPGetFeatures(data, size, &features);
    if (probe != VP8_STATUS_OK) {
        write_message(message, message_capacity, status_text(probe));
        return probe == VP8_STATUS_UNSUPPORTED_FEATURE ? IMGSEARCH_WEBP_UNSUPPORTED : IMGSEARCH_WEBP_CORRUPT;
    }
    if (features.width <= 0 || features.height <= 0) {
        write_message(message, message_capacity, "the WebP header declares no pixels");
        return IMGSEARCH_WEBP_CORRUPT;
    }
    image->width = (uint32_t)features.width;
    image->height = (uint32_t)features.height;
    image->animated = features.has_animation ? 1 : 0;
    const uint64_t pixel_count = (uint64_t)features.width * (uint64_t)features.height;
    if (pixel_count > maximum_pixel_count) {
        return IMGSEARCH_WEBP_TOO_LARGE;
    }
    if (pixel_count > SIZE_MAX / 4) {
        return IMGSEARCH_WEBP_OUT_OF_MEMORY;
    }
    if (features.has_animation) {
        return decode_animation(data, size, pixel_count, background, image, message, message_capacity);
    }

    WebPDecoderConfig config;
    if (!WebPInitDecoderConfig(&config)) {
        write_message(message, message_capacity, "libwebp version mismatch");
        return IMGSEARCH_WEBP_UNSUPPORTED;
    }
    const int channels = features.has_alpha ? 4 : 3;
    uint8_t *pixels = malloc((size_t)pixel_count * channels);
    if (pixels == NULL) {
        return IMGSEARCH_WEBP_OUT_OF_MEMORY;
    }
    // Decoded straight into our buffer: RGB when there is no alpha, else
    // non-premultiplied RGBA that is blended below.
    config.output.colorspace = channels == 4 ? MODE_RGBA : MODE_RGB;
    config.output.is_external_memory = 1;
    config.output.u.RGBA.rgba = pixels;
    config.output.u.RGBA.stride = features.width * channels;
    config.output.u.RGBA.size = (size_t)pixel_count * channels;
    config.options.use_threads = 0;
    const VP8StatusCode status = WebPDecode(data, size, &config);
    WebPFreeDecBuffer(&config.output);  // frees nothing for external memory
    if (status != VP8_STATUS_OK) {
        free(pixels);
        write_message(message, message_capacity, status_text(status));
        if (status == VP8_STATUS_OUT_OF_MEMORY) return IMGSEARCH_WEBP_OUT_OF_MEMORY;
        return status == VP8_STATUS_UNSUPPORTED_FEATURE ? IMGSEARCH_WEBP_UNSUPPORTED : IMGSEARCH_WEBP_CORRUPT;
    }
    if (channels == 4) {
        // In place: pixel i is read whole before bytes 3i..3i+2 are written.
        composite_into(pixels, pixels, (size_t)pixel_count, background);
        uint8_t *shrunk = realloc(pixels, (size_t)pixel_count * 3);
        if (shrunk != NULL) {
            pixels = shrunk;
        }
    }
    image->pixels = pixels;
    return IMGSEARCH_WEBP_OK;
}

void imgsearch_webp_free(void *buffer) {
    free(buffer);
}
