// HEIC and AVIF fixtures through libheif's encoders (x265 for HEVC, libaom
// for AV1 in Debian's build), for the same-photo-in-every-format test.
// Whether an encoder is there is asked at run time: a libheif built without
// one still decodes, and the test then says which it skipped.

#include "CImgSearchTestEncoders.h"

#include <libheif/heif.h>
#include <stdlib.h>
#include <string.h>

static enum heif_compression_format compression(int av1) {
    return av1 ? heif_compression_AV1 : heif_compression_HEVC;
}

int imgsearch_test_heif_can_encode(int av1) {
    struct heif_context *context = heif_context_alloc();
    if (context == NULL) return 0;
    struct heif_encoder *encoder = NULL;
    struct heif_error error = heif_context_get_encoder_for_format(context, compression(av1), &encoder);
    int found = error.code == heif_error_Ok && encoder != NULL;
    if (encoder != NULL) heif_encoder_release(encoder);
    heif_context_free(context);
    return found;
}

// The file grows in one malloc'd buffer as libheif hands it over.
typedef struct {
    uint8_t *bytes;
    size_t length;
    int failed;
} output_buffer;

static struct heif_error append(struct heif_context *context, const void *data, size_t size, void *userdata) {
    (void)context;
    output_buffer *output = userdata;
    uint8_t *grown = realloc(output->bytes, output->length + size);
    if (grown == NULL) {
        output->failed = 1;
        struct heif_error error = {heif_error_Memory_allocation_error, heif_suberror_Unspecified, "out of memory"};
        return error;
    }
    memcpy(grown + output->length, data, size);
    output->bytes = grown;
    output->length += size;
    struct heif_error ok = {heif_error_Ok, heif_suberror_Unspecified, "ok"};
    return ok;
}

uint8_t *imgsearch_test_write_heif(const uint8_t *rgb, int width, int height, int av1, int quality, size_t *size) {
    struct heif_context *context = heif_context_alloc();
    struct heif_encoder *encoder = NULL;
    struct heif_image *image = NULL;
    struct heif_image_handle *handle = NULL;
    output_buffer output = {NULL, 0, 0};
    uint8_t *result = NULL;
    if (context == NULL) goto done;
    if (heif_context_get_encoder_for_format(context, compression(av1), &encoder).code != heif_error_Ok) goto done;
    if (heif_encoder_set_lossy_quality(encoder, quality).code != heif_error_Ok) goto done;
    if (heif_image_create(width, height, heif_colorspace_RGB, heif_chroma_interleaved_RGB, &image).code != heif_error_Ok) goto done;
    if (heif_image_add_plane(image, heif_channel_interleaved, width, height, 8).code != heif_error_Ok) goto done;
    int stride = 0;
    uint8_t *plane = heif_image_get_plane(image, heif_channel_interleaved, &stride);
    if (plane == NULL) goto done;
    for (int row = 0; row < height; row++) {
        memcpy(plane + (size_t)row * stride, rgb + (size_t)row * width * 3, (size_t)width * 3);
    }
    if (heif_context_encode_image(context, image, encoder, NULL, &handle).code != heif_error_Ok) goto done;
    struct heif_writer writer = {1, append};
    if (heif_context_write(context, &writer, &output).code != heif_error_Ok || output.failed) goto done;
    result = output.bytes;
    output.bytes = NULL;
    *size = output.length;
done:
    free(output.bytes);
    if (handle != NULL) heif_image_handle_release(handle);
    if (image != NULL) heif_image_release(image);
    if (encoder != NULL) heif_encoder_release(encoder);
    if (context != NULL) heif_context_free(context);
    return result;
}
